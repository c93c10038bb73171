//! `pyproject.toml` metadata, PEP 621 or Poetry: names, versions, readme, requirements,
//! scripts, extras and groups, the build backend.

use crate::answers::normalize_name;

use super::Backend;

/// The `[project]` / `[tool.poetry]` fields dockwright reads, from either style.
#[derive(Debug, Default)]
pub(super) struct Metadata {
    pub(super) table: &'static str,
    pub(super) python_key: &'static str,
    pub(super) name: Option<String>,
    pub(super) version: Option<String>,
    pub(super) description: Option<String>,
    pub(super) readme: Option<String>,
    pub(super) requires_python: Option<String>,
    pub(super) dependencies: Vec<String>,
    pub(super) scripts: Vec<(String, String)>,
    pub(super) extras: Vec<(String, Vec<String>)>,
    pub(super) groups: Vec<(String, Vec<String>)>,
    pub(super) backend: Option<Backend>,
    /// The dependencies come from `[tool.poetry.dependencies]`.
    pub(super) poetry_dependencies: bool,
}

impl Metadata {
    pub(super) fn read(doc: &toml::Table) -> Metadata {
        let mut m = Metadata::default();
        let project = doc.get("project").and_then(|v| v.as_table());
        let poetry = doc
            .get("tool")
            .and_then(|t| t.get("poetry"))
            .and_then(|v| v.as_table());
        let s = |t: Option<&toml::Table>, k: &str| {
            t.and_then(|t| t.get(k))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let list = |v: Option<&toml::Value>| -> Vec<String> {
            v.and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let table_pairs = |v: Option<&toml::Value>| -> Vec<(String, String)> {
            v.and_then(|v| v.as_table())
                .map(|t| {
                    t.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                        .collect()
                })
                .unwrap_or_default()
        };

        if project.is_some() {
            m.table = "[project]";
            m.python_key = "requires-python";
            m.name = s(project, "name");
            m.version = s(project, "version");
            m.description = s(project, "description");
            m.readme = match project.and_then(|p| p.get("readme")) {
                Some(toml::Value::String(r)) => Some(r.clone()),
                Some(toml::Value::Table(t)) => {
                    t.get("file").and_then(|f| f.as_str()).map(str::to_string)
                }
                _ => None,
            };
            m.requires_python = s(project, "requires-python");
            m.dependencies = list(project.and_then(|p| p.get("dependencies")));
            m.scripts = table_pairs(project.and_then(|p| p.get("scripts")));
            if let Some(extras) = project
                .and_then(|p| p.get("optional-dependencies"))
                .and_then(|v| v.as_table())
            {
                m.extras = extras
                    .iter()
                    .map(|(k, v)| (k.clone(), list(Some(v))))
                    .collect();
            }
            if let Some(groups) = doc.get("dependency-groups").and_then(|v| v.as_table()) {
                m.groups = groups
                    .iter()
                    .map(|(k, v)| (k.clone(), list(Some(v))))
                    .collect();
            }
        }
        if let Some(poetry) = poetry {
            let pget = |k: &str| s(Some(poetry), k);
            if m.name.is_none() {
                m.table = "[tool.poetry]";
                m.name = pget("name");
                m.version = pget("version");
                m.description = pget("description");
                m.readme = pget("readme");
            }
            let pdeps = poetry.get("dependencies").and_then(|v| v.as_table());
            if m.requires_python.is_none() {
                if let Some(py) = pdeps.and_then(|t| t.get("python")).and_then(|v| v.as_str()) {
                    m.python_key = "[tool.poetry.dependencies] python";
                    m.requires_python = Some(py.to_string());
                }
            }
            let declares_pep621 = project.is_some_and(|p| p.contains_key("dependencies"));
            if !declares_pep621 {
                m.poetry_dependencies = true;
                m.dependencies = pdeps
                    .map(|t| t.keys().filter(|k| *k != "python").cloned().collect())
                    .unwrap_or_default();
            }
            if m.scripts.is_empty() {
                m.scripts = table_pairs(poetry.get("scripts"));
            }
            let mut groups: Vec<(String, Vec<String>)> = poetry
                .get("group")
                .and_then(|v| v.as_table())
                .map(|g| {
                    g.iter()
                        .map(|(name, grp)| {
                            let deps = grp
                                .get("dependencies")
                                .and_then(|v| v.as_table())
                                .map(|t| t.keys().cloned().collect())
                                .unwrap_or_default();
                            (name.clone(), deps)
                        })
                        .collect()
                })
                .unwrap_or_default();
            if let Some(dev) = poetry.get("dev-dependencies").and_then(|v| v.as_table()) {
                groups.push(("dev".into(), dev.keys().cloned().collect()));
            }
            m.groups.extend(groups);
        }
        let backend = doc
            .get("build-system")
            .and_then(|b| b.get("build-backend"))
            .and_then(|v| v.as_str())
            .unwrap_or("");
        m.backend = Some(match backend {
            b if b.starts_with("hatchling") => Backend::Hatchling,
            b if b.starts_with("setuptools") || b.is_empty() => Backend::Setuptools,
            b if b.starts_with("poetry") => Backend::Poetry,
            b if b.starts_with("flit") => Backend::Flit,
            b if b.starts_with("pdm") => Backend::Pdm,
            _ => Backend::Other,
        });
        m
    }
}

/// The normalised distribution name of a PEP 508 requirement (`Flask[async]>=3` → `flask`).
pub(super) fn requirement_name(req: &str) -> String {
    let end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    normalize_name(&req[..end])
}

pub(super) fn mentions_pytest(reqs: &[String]) -> bool {
    reqs.iter().any(|r| requirement_name(r) == "pytest")
}

/// The console script to run: the one named like the project, else the first.
pub(super) fn pick_script<'a>(
    scripts: &'a [(String, String)],
    name: Option<&str>,
) -> Option<&'a (String, String)> {
    let wanted = name.map(normalize_name);
    scripts
        .iter()
        .find(|(s, _)| Some(normalize_name(s)) == wanted)
        .or_else(|| scripts.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_names() {
        assert_eq!(requirement_name("Flask[async]>=3"), "flask");
        assert_eq!(
            requirement_name("uvicorn[standard] ; python_version>'3.8'"),
            "uvicorn"
        );
        assert_eq!(requirement_name("Django"), "django");
    }
}
