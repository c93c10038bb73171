//! A pinned version as written (`3.11`, `3.11.9`, uv's `cpython-3.11.9-linux-x86_64`), and
//! whether a `requires-python` bound allows it.

use crate::answers::python;

/// A version read from a pin file: `3.11` or `3.11.9`, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Version {
    pub(super) minor: u8,
    pub(super) text: String,
}

/// Whether `spec` allows the pin: that release when the pin names one (`3.11.2` is outside
/// `>=3.11.4`), else some release of the minor version.
pub(super) fn allows(spec: &str, v: &Version) -> bool {
    if v.text.matches('.').count() == 2 {
        spec.split("||")
            .any(|alt| python::allows(&format!("{alt},=={}", v.text), v.minor))
    } else {
        python::allows(spec, v.minor)
    }
}

/// `3.11`, `3.11.9`, `python-3.11.9`, `cpython-3.11.9`, `cpython@3.11`, `3.11.9-linux-x86_64`
/// (uv); not `pypy3.10`, `system`, `3.13t` (free-threaded) or `3.12.0rc1`.
pub(super) fn parse(value: &str) -> Option<Version> {
    let v = value.trim();
    let v = ["cpython-", "cpython@", "python-", "python@", "python"]
        .iter()
        .find_map(|p| v.strip_prefix(p))
        .unwrap_or(v);
    let end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (number, rest) = v.split_at(end);
    if !(rest.is_empty() || rest.starts_with('-')) {
        return None;
    }
    let parts: Vec<&str> = number.split('.').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty() || p.len() > 3) {
        return None;
    }
    let major: u32 = parts[0].parse().ok()?;
    let minor: u32 = parts[1].parse().ok()?;
    if major != 3 {
        return None;
    }
    Some(Version {
        minor: u8::try_from(minor).ok()?,
        text: number.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::rules::PYTHON_MINORS;

    #[test]
    fn only_cpython_3_x_versions_parse() {
        for bad in [
            "pypy3.10",
            "system",
            "3.13t",
            "3.12.0rc1",
            "3",
            "2.7.18",
            "3.1234",
            "3.300",
        ] {
            assert!(
                parse(bad).is_none_or(|v| !PYTHON_MINORS.contains(&v.minor)),
                "{bad}"
            );
        }
        assert_eq!(parse("python-3.11.9").unwrap().text, "3.11.9");
        assert_eq!(parse("cpython@3.13").unwrap().minor, 13);
    }
}
