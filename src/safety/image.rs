//! Docker / OCI image references, by the grammar of the reference implementation.

/// Whether `s` is a Docker / OCI image reference, by the grammar of the reference
/// implementation (distribution/reference) and the OCI image spec's digests:
///
/// ```text
/// reference  := name [ ":" tag ] [ "@" digest ]
/// name       := [ domain "/" ] path-component ( "/" path-component )*
/// domain     := host [ ":" port ]            host := label ( "." label )* | "[" ipv6 "]"
/// label      := [a-zA-Z0-9] ( [a-zA-Z0-9-]* [a-zA-Z0-9] )?
/// path-component := [a-z0-9]+ ( ( [_.] | "__" | "-"+ ) [a-z0-9]+ )*
/// tag        := [a-zA-Z0-9_] [a-zA-Z0-9_.-]{0,127}
/// digest     := algorithm ":" encoded
/// algorithm  := [a-z0-9]+ ( [+._-] [a-z0-9]+ )*
/// encoded    := [a-zA-Z0-9=_-]+  (sha256: 64 lowercase hex, sha512: 128 lowercase hex)
/// ```
///
/// The first component is a domain when it holds a `.` or `:`, or is `localhost`. The name is
/// at most 255 characters.
pub fn is_image_reference(s: &str) -> bool {
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (s, None),
    };
    if let Some(d) = digest {
        if !is_digest(d) {
            return false;
        }
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if tag.is_some_and(|t| !is_tag(t)) || name.is_empty() || name.len() > 255 {
        return false;
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    if parts.len() > 1
        && (parts[0].contains(['.', ':']) || parts[0] == "localhost")
        && !is_domain(parts.remove(0))
    {
        return false;
    }
    parts.iter().all(|p| is_path_component(p))
}

fn is_digest(d: &str) -> bool {
    let Some((alg, encoded)) = d.split_once(':') else {
        return false;
    };
    let alg_ok = split_keep_ok(
        alg,
        |c| matches!(c, '+' | '.' | '_' | '-'),
        |part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        },
    );
    let lower_hex = |n: usize| {
        encoded.len() == n
            && encoded
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    };
    let encoded_ok = match alg {
        "sha256" => lower_hex(64),
        "sha512" => lower_hex(128),
        _ => {
            !encoded.is_empty()
                && encoded
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '=' | '_' | '-'))
        }
    };
    alg_ok && encoded_ok
}

/// Splits `s` at every separator and checks each part (so separators are never leading,
/// trailing or doubled when `part_ok` refuses empty parts).
fn split_keep_ok(s: &str, sep: impl Fn(char) -> bool, part_ok: impl Fn(&str) -> bool) -> bool {
    s.split(sep).all(part_ok)
}

fn is_tag(t: &str) -> bool {
    !t.is_empty()
        && t.len() <= 128
        && t.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn is_domain(d: &str) -> bool {
    let (host, port) = if let Some(v6) = d.strip_prefix('[') {
        let Some((addr, after)) = v6.split_once(']') else {
            return false;
        };
        if addr.is_empty() || !addr.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return false;
        }
        match after {
            "" => return true,
            p => return p.strip_prefix(':').is_some_and(is_port),
        }
    } else {
        match d.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (d, None),
        }
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    host.split('.').all(label_ok) && port.is_none_or(is_port)
}

fn is_port(p: &str) -> bool {
    !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit())
}

fn is_path_component(p: &str) -> bool {
    // [a-z0-9]+ ( ( [_.] | "__" | "-"+ ) [a-z0-9]+ )*
    let bytes = p.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let sep = &p[start..i];
        let ok = matches!(sep, "_" | "." | "__") || sep.chars().all(|c| c == '-');
        if !ok {
            return false;
        }
    }
    true
}
