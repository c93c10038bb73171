//! `requires-python` (PEP 440) and Poetry's `python` constraint → the highest supported version.

use super::rules::PYTHON_MINORS;

/// The highest supported Python minor version that satisfies a PEP 440 specifier set or a Poetry
/// constraint (`>=3.10,<3.13`, `~=3.11`, `^3.10`, `3.11.*`, `>=3.9 || >=3.11`).
pub fn highest_minor(spec: &str) -> Option<u8> {
    PYTHON_MINORS.rev().find(|&minor| allows(spec, minor))
}

/// Whether Python 3.`minor` (some patch release of it) satisfies the constraint.
pub fn allows(spec: &str, minor: u8) -> bool {
    spec.split("||").any(|alt| satisfies(alt, minor))
}

/// The supported versions the constraint allows, lowest first, as `3.X`.
pub fn allowed_minors(spec: &str) -> Vec<String> {
    PYTHON_MINORS
        .filter(|&m| allows(spec, m))
        .map(|m| format!("3.{m}"))
        .collect()
}

/// Whether some 3.`minor`.patch release satisfies every clause of `spec`.
fn satisfies(spec: &str, minor: u8) -> bool {
    let clauses: Vec<&str> = spec
        .split([',', ' '])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    (0..=30u32).any(|patch| {
        let v = [3, minor as u32, patch];
        clauses.iter().all(|c| clause(c, v))
    })
}

fn parse_version(s: &str) -> Option<(Vec<u32>, bool)> {
    let s = s.trim();
    let (s, wildcard) = match s.strip_suffix(".*") {
        Some(rest) => (rest, true),
        None => (s, false),
    };
    let parts: Option<Vec<u32>> = s.split('.').map(|p| p.parse().ok()).collect();
    parts.filter(|p| !p.is_empty()).map(|p| (p, wildcard))
}

fn cmp(v: [u32; 3], other: &[u32]) -> std::cmp::Ordering {
    let mut o = [0u32; 3];
    for (i, x) in other.iter().take(3).enumerate() {
        o[i] = *x;
    }
    v.cmp(&o)
}

fn prefix_eq(v: [u32; 3], prefix: &[u32]) -> bool {
    prefix.iter().take(3).enumerate().all(|(i, p)| v[i] == *p)
}

fn clause(c: &str, v: [u32; 3]) -> bool {
    use std::cmp::Ordering::*;
    let ops = ["===", "~=", "==", "!=", ">=", "<=", ">", "<", "^", "~", "="];
    let (op, rest) = ops
        .iter()
        .find_map(|op| c.strip_prefix(op).map(|r| (*op, r)))
        .unwrap_or(("==", c));
    if rest.trim() == "*" {
        return true;
    }
    let Some((ver, wildcard)) = parse_version(rest) else {
        return true;
    };
    match op {
        "==" | "=" | "===" if wildcard => prefix_eq(v, &ver),
        "==" | "=" | "===" => {
            if ver.len() < 3 {
                prefix_eq(v, &ver)
            } else {
                cmp(v, &ver) == Equal
            }
        }
        "!=" if wildcard => !prefix_eq(v, &ver),
        "!=" => cmp(v, &ver) != Equal,
        ">=" => cmp(v, &ver) != Less,
        "<=" => cmp(v, &ver) != Greater || prefix_eq(v, &ver),
        ">" => cmp(v, &ver) == Greater && !(ver.len() < 3 && prefix_eq(v, &ver)),
        "<" => cmp(v, &ver) == Less,
        // ~=X.Y means >=X.Y, ==X.*; ~=X.Y.Z means >=X.Y.Z, ==X.Y.*
        "~=" => cmp(v, &ver) != Less && prefix_eq(v, &ver[..ver.len().saturating_sub(1).max(1)]),
        // Poetry: ^3.10 → >=3.10,<4; ~3.10 → >=3.10,<3.11
        "^" => cmp(v, &ver) != Less && v[0] == ver[0],
        "~" => cmp(v, &ver) != Less && prefix_eq(v, &ver[..ver.len().min(2)]),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_constraints() {
        assert_eq!(highest_minor(">=3.10"), Some(14));
        assert_eq!(highest_minor(">=3.9,<3.13"), Some(12));
        assert_eq!(highest_minor(">=3.9, <=3.12"), Some(12));
        assert_eq!(highest_minor("~=3.11"), Some(14));
        assert_eq!(highest_minor("~=3.11.2"), Some(11));
        assert_eq!(highest_minor("^3.10"), Some(14));
        assert_eq!(highest_minor("~3.10"), Some(10));
        assert_eq!(highest_minor("3.11.*"), Some(11));
        assert_eq!(highest_minor("==3.11.*"), Some(11));
        assert_eq!(highest_minor(">=3.8,!=3.14.*"), Some(13));
        assert_eq!(highest_minor(">3.12"), Some(14));
        assert_eq!(highest_minor("<3.9"), None);
        assert_eq!(highest_minor(">=3.10.4,<3.11"), Some(10));
        assert_eq!(highest_minor(">=3.9 <3.12"), Some(11));
        assert!(!allows(">=3.12", 11));
        assert!(allows(">=3.12", 12));
        assert_eq!(allowed_minors(">=3.12,<3.14"), ["3.12", "3.13"]);
        assert!(allowed_minors(">=3.15").is_empty());
    }
}
