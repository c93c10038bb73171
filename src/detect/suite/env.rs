//! What the suite's environment needs: the env file it loads, and the variable the Django
//! settings read `SECRET_KEY` from.

use std::path::Path;

use crate::safety::is_safe_relative_path;

use super::config::Config;

/// Env files whose name says the test suite reads them.
const TEST_ENV_FILES: &[&str] = &[".env.test", ".env.testing", ".env.tests", "test.env"];

/// Env files a suite reads when its settings or `conftest.py` name them.
const NAMED_ENV_FILES: &[&str] = &[".env.example", ".env.sample", ".env.ci", ".env.dist"];

/// The env file the suite loads, relative to the project: `env_files` of the configuration
/// (pytest-dotenv, relative to where pytest runs), else a file whose name says it is for tests,
/// else one the settings or `conftest.py` name.
pub(super) fn env_file(
    target: &Path,
    prefix: &str,
    config: Option<&Config>,
    readers: &[String],
) -> Option<String> {
    let exists = |rel: &str| {
        is_safe_relative_path(rel)
            && std::fs::symlink_metadata(target.join(rel)).is_ok_and(|m| m.is_file())
    };
    let configured = config.and_then(|c| c.env_files.clone()).unwrap_or_default();
    let named = configured
        .split_whitespace()
        .map(|f| format!("{prefix}{f}"))
        .find(|f| exists(f));
    named
        .or_else(|| {
            TEST_ENV_FILES
                .iter()
                .flat_map(|f| [format!("{prefix}{f}"), f.to_string()])
                .find(|f| exists(f))
        })
        .or_else(|| {
            NAMED_ENV_FILES
                .iter()
                .filter(|f| readers.iter().any(|text| text.contains(*f)))
                .flat_map(|f| [format!("{prefix}{f}"), f.to_string()])
                .find(|f| exists(f))
        })
}

/// The environment variable a Django settings file reads `SECRET_KEY` from
/// (`SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]`, `env("SECRET_KEY")`, `os.getenv(...)`).
pub(super) fn secret_key_var(settings: &str) -> Option<String> {
    settings.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("SECRET_KEY")?.trim_start();
        let rest = rest.strip_prefix('=')?;
        if !["environ", "getenv", "env(", "config("]
            .iter()
            .any(|r| rest.contains(r))
        {
            return None;
        }
        let start = rest.find(['"', '\''])?;
        let quote = rest[start..].chars().next()?;
        let inner = &rest[start + 1..];
        let name = &inner[..inner.find(quote)?];
        let valid = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        valid.then(|| name.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::secret_key_var;

    #[test]
    fn secret_key_variables() {
        assert_eq!(
            secret_key_var("SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n").as_deref(),
            Some("DJANGO_SECRET_KEY")
        );
        assert_eq!(
            secret_key_var("SECRET_KEY = env('SECRET_KEY', default='x')").as_deref(),
            Some("SECRET_KEY")
        );
        assert_eq!(secret_key_var("SECRET_KEY = 'django-insecure-abc'"), None);
        assert_eq!(secret_key_var("SECRET_KEY = os.environ['a b; rm']"), None);
    }
}
