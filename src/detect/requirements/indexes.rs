//! The package indexes a requirements file names (`--index-url`, `--extra-index-url`,
//! `--find-links`): an https one is honoured and said, one with credentials is refused (it
//! would be baked into a layer).

/// How to use a private index without baking it into the image.
pub(super) const INDEX_FIX: &str = "keep credentials out of the files the image copies: drop the line and pass the index at build time as a BuildKit secret (`RUN --mount=type=secret,id=pip_index_url PIP_INDEX_URL=$(cat /run/secrets/pip_index_url) pip install …`) or put an https index without credentials here";

/// An index or find-links URL the Dockerfile may honour: https, no credentials, no environment
/// variable (pip expands `${VAR}` from the build's environment, where a secret would be baked
/// in), and only URL characters (it is said in a Dockerfile comment).
pub(super) fn check_index(url: &str) -> std::result::Result<(), String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err("names a package index that is not https (pip would fetch code over an unauthenticated connection, or from a local path the image does not have)".into());
    };
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') || url.contains('$') {
        return Err("puts credentials (or an environment variable holding them) in the index URL, which would bake a secret into the image".into());
    }
    if !url
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~:/%?=&+".contains(c))
    {
        return Err(
            "names an index URL with characters dockwright does not copy into a Dockerfile".into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{found, refused};

    #[test]
    fn indexes_https_honoured_credentials_refused() {
        let (app, _) = found(&[(
            "requirements.txt",
            "--index-url https://pypi.example.org/simple\nflask\n",
        )])
        .unwrap()
        .unwrap();
        assert_eq!(app.indexes, ["https://pypi.example.org/simple"]);
        assert!(app
            .why
            .contains("; packages from the index https://pypi.example.org/simple"));
        for line in [
            "--index-url https://user:token@pypi.example.org/simple",
            "--extra-index-url=https://${PIP_TOKEN}@pypi.example.org/simple",
            "-i http://pypi.example.org/simple",
        ] {
            let text = format!("{line}\nflask\n");
            let said = refused(&[("requirements.txt", &text)]);
            assert!(said.contains("line 1"), "{said}");
            assert!(said.contains("BuildKit secret"), "{said}");
        }
        // The refusal names the credential line, escaped, never raw.
        let said = refused(&[("requirements.txt", "flask\n-i https://u:p@x.org/simple\n")]);
        assert!(said.contains("line 2"), "{said}");
    }
}
