//! The pytest plugins a suite's `addopts` needs, by their PyPI names.

/// Options of `addopts` and the plugin (PyPI name) that defines each; `-p NAME` is matched
/// against the plugin's module names in [`PLUGIN_MODULES`].
const PLUGIN_OPTIONS: &[(&str, &str)] = &[
    ("-n", "pytest-xdist"),
    ("--numprocesses", "pytest-xdist"),
    ("--dist", "pytest-xdist"),
    ("--maxprocesses", "pytest-xdist"),
    ("--timeout", "pytest-timeout"),
    ("--reruns", "pytest-rerunfailures"),
    ("--reruns-delay", "pytest-rerunfailures"),
    ("--benchmark-", "pytest-benchmark"),
    ("--randomly-", "pytest-randomly"),
    ("--ds", "pytest-django"),
    ("--dc", "pytest-django"),
    ("--reuse-db", "pytest-django"),
    ("--create-db", "pytest-django"),
    ("--nomigrations", "pytest-django"),
    ("--no-migrations", "pytest-django"),
    ("--asyncio-mode", "pytest-asyncio"),
    ("--html", "pytest-html"),
    ("--mypy", "pytest-mypy"),
    ("--hypothesis-", "hypothesis"),
];

/// `-p MODULE` names of plugins and their PyPI names.
const PLUGIN_MODULES: &[(&str, &str)] = &[
    ("xdist", "pytest-xdist"),
    ("xdist.plugin", "pytest-xdist"),
    ("pytest_timeout", "pytest-timeout"),
    ("pytest_rerunfailures", "pytest-rerunfailures"),
    ("pytest_benchmark", "pytest-benchmark"),
    ("randomly", "pytest-randomly"),
    ("pytest_randomly", "pytest-randomly"),
    ("pytest_django", "pytest-django"),
    ("pytest_asyncio", "pytest-asyncio"),
    ("anyio", "anyio"),
    ("pytest_mock", "pytest-mock"),
    ("pytest_dotenv", "pytest-dotenv"),
];

/// The plugins `addopts` needs, by PyPI name, sorted; pytest-cov is always installed.
pub(super) fn plugins(addopts: &str) -> Vec<String> {
    let words = crate::shell::split(addopts).unwrap_or_default();
    let mut found: Vec<String> = Vec::new();
    let mut words = words.iter().peekable();
    while let Some(word) = words.next() {
        let module = if word == "-p" {
            words.next().map(String::as_str)
        } else {
            word.strip_prefix("-p").filter(|m| !m.starts_with('-'))
        };
        if let Some(module) = module {
            if let Some((_, name)) = PLUGIN_MODULES.iter().find(|(m, _)| *m == module) {
                found.push(name.to_string());
            }
            continue;
        }
        let option = word.split('=').next().unwrap_or_default();
        let short = option.starts_with("-n") && !option.starts_with("--");
        for (flag, name) in PLUGIN_OPTIONS {
            let hit = if flag.ends_with('-') {
                option.starts_with(flag)
            } else if *flag == "-n" {
                short
            } else {
                option == *flag
            };
            if hit {
                found.push(name.to_string());
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::plugins;

    #[test]
    fn addopts_plugins_are_named_by_their_pypi_names() {
        assert_eq!(
            plugins("-p xdist -n 2 --cov=app --timeout=30 -p no:cacheprovider"),
            ["pytest-timeout", "pytest-xdist"]
        );
        assert_eq!(
            plugins("-nauto --reuse-db"),
            ["pytest-django", "pytest-xdist"]
        );
        assert!(plugins("-q --strict-markers --no-header").is_empty());
    }
}
