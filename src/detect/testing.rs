//! Where the project keeps its tests and its pytest/coverage settings, and the coverage gate it
//! chose itself (`fail_under`).

use std::path::Path;

use crate::answers::{Field, Raw};
use crate::model::package_dir;

use super::{read, Detection};

/// Files at the root that hold pytest or coverage settings (or fixtures): copied into the test
/// image next to the tests when they exist.
const TEST_CONFIG: &[&str] = &[
    "conftest.py",
    "pytest.ini",
    "tox.ini",
    "setup.cfg",
    ".coveragerc",
];

/// Requirements files that commonly hold the test tools, the first found is installed into the
/// test image.
const TEST_REQUIREMENTS: &[&str] = &[
    "requirements/tests.txt",
    "requirements/test.txt",
    "tests/requirements.txt",
    "test/requirements.txt",
    "requirements-test.txt",
    "requirements-tests.txt",
    "requirements_test.txt",
    "test-requirements.txt",
];

/// Test directories, the config files, and the coverage gate; `doc` is the parsed
/// `pyproject.toml` when there is one.
pub(super) fn detect_tests(target: &Path, doc: Option<&toml::Table>, d: &mut Detection) {
    let ini = |file: &str| read(target, &target.join(file)).unwrap_or_default();
    let (pytest_ini, tox, setup_cfg, coveragerc) = (
        ini("pytest.ini"),
        ini("tox.ini"),
        ini("setup.cfg"),
        ini(".coveragerc"),
    );
    let tool = doc.and_then(|d| d.get("tool"));

    // testpaths: pyproject's [tool.pytest.ini_options], then pytest.ini, tox.ini, setup.cfg.
    let mut testpaths: Vec<String> = tool
        .and_then(|t| t.get("pytest"))
        .and_then(|p| p.get("ini_options"))
        .and_then(|o| o.get("testpaths"))
        .map(|v| match v {
            toml::Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            toml::Value::String(s) => s.split_whitespace().map(str::to_string).collect(),
            _ => Vec::new(),
        })
        .unwrap_or_default();
    if testpaths.is_empty() {
        testpaths = [
            (&pytest_ini, "pytest"),
            (&tox, "pytest"),
            (&setup_cfg, "tool:pytest"),
        ]
        .iter()
        .find_map(|(text, section)| ini_value(text, section, "testpaths"))
        .map(|v| v.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    }
    // The Django settings the project's pytest configuration names (pytest-django): the test
    // image sets them, since the production image's DJANGO_SETTINGS_MODULE would win over them.
    d.facts.django_test_settings = tool
        .and_then(|t| t.get("pytest"))
        .and_then(|p| p.get("ini_options"))
        .and_then(|o| o.get("DJANGO_SETTINGS_MODULE"))
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .or_else(|| {
            [
                (&pytest_ini, "pytest"),
                (&tox, "pytest"),
                (&setup_cfg, "tool:pytest"),
            ]
            .iter()
            .find_map(|(text, section)| ini_value(text, section, "DJANGO_SETTINGS_MODULE"))
        })
        .filter(|m| is_module_path(m));
    let packages: Vec<String> = d.facts.packages.clone();
    // Only plain relative paths at the root (they become COPY arguments), outside the package
    // (tests inside it come with the wheel).
    let mut paths: Vec<String> = testpaths
        .iter()
        .map(|p| p.trim_end_matches('/').to_string())
        .filter(|p| crate::safety::is_safe_relative_path(p) && !p.contains('*'))
        .filter(|p| {
            let first = p.split('/').next().unwrap_or_default();
            first != "src" && !packages.iter().any(|k| k.split('.').next() == Some(first))
        })
        .filter(|p| target.join(p).exists())
        .collect();
    if paths.is_empty() {
        paths = ["tests", "test"]
            .iter()
            .filter(|p| target.join(p).is_dir())
            .map(|p| p.to_string())
            .collect();
    }
    paths.dedup();
    d.facts.test_paths = paths;
    d.facts.tests_in_package = d.facts.test_paths.is_empty()
        && packages.iter().any(|k| {
            let base = if d.facts.src_layout == Some(true) {
                target.join("src").join(package_dir(k))
            } else {
                target.join(package_dir(k))
            };
            base.join("tests").is_dir() || base.join("test").is_dir()
        });
    d.facts.test_requirements = TEST_REQUIREMENTS
        .iter()
        .find(|f| target.join(f).is_file())
        .map(|f| f.to_string());
    d.facts.test_config = TEST_CONFIG
        .iter()
        .filter(|f| target.join(f).is_file())
        .map(|f| f.to_string())
        .collect();

    // The project's own coverage gate; without one, coverage is reported without a gate.
    let fail_under = tool
        .and_then(|t| t.get("coverage"))
        .and_then(|c| c.get("report"))
        .and_then(|r| r.get("fail_under"))
        .and_then(|v| match v {
            toml::Value::Integer(i) => Some(*i as f64),
            toml::Value::Float(f) => Some(*f),
            toml::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
        .map(|v| (v, "pyproject.toml [tool.coverage.report] fail_under"))
        .or_else(|| {
            [
                (&coveragerc, "report", ".coveragerc [report] fail_under"),
                (
                    &setup_cfg,
                    "coverage:report",
                    "setup.cfg [coverage:report] fail_under",
                ),
                (
                    &tox,
                    "coverage:report",
                    "tox.ini [coverage:report] fail_under",
                ),
            ]
            .iter()
            .find_map(|(text, section, why)| {
                ini_value(text, section, "fail_under")
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .map(|v| (v, *why))
            })
        });
    let (value, why) = match fail_under {
        // The gate is a whole percentage: 78.5 % → 78.
        Some((v, why)) if (0.0..=100.0).contains(&v) => (v.floor() as u8, why.to_string()),
        _ => (
            0,
            "the project sets no fail_under: coverage is reported without a gate".to_string(),
        ),
    };
    d.answers
        .insert(Field::CoverageMin, Raw::Text(value.to_string()));
    d.origins.insert(Field::CoverageMin, why);
}

/// `key` in `[section]` of an INI file (continuation lines joined with spaces).
/// A dotted Python module path (`mysite.settings_test`): safe in a Dockerfile `ENV` line.
fn is_module_path(m: &str) -> bool {
    m.len() <= 200
        && m.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

pub(super) fn ini_value(text: &str, section: &str, key: &str) -> Option<String> {
    let mut in_section = false;
    let mut value: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            if value.is_some() {
                break;
            }
            in_section = trimmed.trim_start_matches('[').trim_end_matches(']').trim() == section;
            continue;
        }
        if !in_section || trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        if let Some(v) = value.as_mut() {
            if line.starts_with([' ', '\t']) {
                if !v.is_empty() {
                    v.push(' ');
                }
                v.push_str(trimmed);
                continue;
            }
            break;
        }
        if let Some((k, v)) = trimmed.split_once(['=', ':']) {
            if k.trim() == key {
                value = Some(v.trim().to_string());
            }
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::{ini_value, is_module_path};

    #[test]
    fn django_test_settings_are_module_paths() {
        assert!(is_module_path("mysite.settings_test"));
        for bad in ["", "a..b", "1x", "x y", "x\nENV A=b", "a.b-c"] {
            assert!(!is_module_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn ini_values() {
        let text = "[metadata]\nname = x\n[tool:pytest]\ntestpaths =\n    test\n    more\naddopts = -q\n[coverage:report]\nfail_under = 91.5\n";
        assert_eq!(
            ini_value(text, "tool:pytest", "testpaths").as_deref(),
            Some("test more")
        );
        assert_eq!(
            ini_value(text, "coverage:report", "fail_under").as_deref(),
            Some("91.5")
        );
        assert_eq!(ini_value(text, "metadata", "fail_under"), None);
    }
}
