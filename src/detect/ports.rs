//! Ports an existing Dockerfile or compose file already declares. Of a compose file, only the
//! app's own service counts (built from this directory's Dockerfile, or named like the project),
//! never a reverse proxy's 80/443 nor a database's port.

use std::path::Path;

use crate::answers::{Field, Raw};

use super::{read, Detection};

/// Ports from `EXPOSE` lines of an existing Dockerfile, else the container side of compose `ports:`.
pub(super) fn detect_ports(target: &Path, d: &mut Detection) {
    if let Ok(text) = read(target, &target.join("Dockerfile")) {
        let ports: Vec<String> = text
            .lines()
            .filter_map(|l| {
                l.trim()
                    .strip_prefix("EXPOSE ")
                    .or_else(|| l.trim().strip_prefix("expose "))
            })
            .flat_map(|rest| rest.split_whitespace())
            .map(|p| p.split('/').next().unwrap_or(p).to_string())
            .filter(|p| p.parse::<u16>().is_ok())
            .collect();
        if !ports.is_empty() {
            d.answers.insert(Field::Ports, Raw::List(ports));
            d.origins
                .insert(Field::Ports, "EXPOSE in the existing Dockerfile".into());
            return;
        }
    }
    let names = project_names(target, d);
    for compose in [
        "docker-compose.yml",
        "docker-compose.yaml",
        "compose.yml",
        "compose.yaml",
    ] {
        let Ok(text) = read(target, &target.join(compose)) else {
            continue;
        };
        let services = services(&text);
        let Some(app) = app_service(&services, &names) else {
            continue;
        };
        if !app.ports.is_empty() {
            d.answers.insert(Field::Ports, Raw::List(app.ports.clone()));
            d.origins.insert(
                Field::Ports,
                format!(
                    "ports of the service `{}` in the existing {compose}",
                    crate::safety::shown(&app.name)
                ),
            );
            return;
        }
    }
}

/// A service of a compose file, as far as choosing the app's own needs it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Service {
    name: String,
    /// `build:` context (`.` when only `dockerfile:` is given); `None` without `build:`.
    build: Option<String>,
    dockerfile: Option<String>,
    image: Option<String>,
    /// The container side of each `ports:` item.
    ports: Vec<String>,
}

/// Images of reverse proxies and load balancers: never the app.
const PROXIES: &[&str] = &[
    "nginx", "traefik", "caddy", "haproxy", "envoy", "httpd", "varnish",
];

/// The project's names a service may carry: the directory's and the detected `name`.
fn project_names(target: &Path, d: &Detection) -> Vec<String> {
    let dir = std::fs::canonicalize(target)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    let name = match d.answers.get(&Field::Name) {
        Some(Raw::Text(n)) => Some(n.clone()),
        _ => None,
    };
    dir.into_iter().chain(name).map(|n| fold(&n)).collect()
}

/// Lowercase with `_`/`.` as `-` (PEP 503's folding, which compose names follow loosely).
fn fold(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

/// The app's own service: one built from this directory with its `Dockerfile`, else one named
/// like the project; never a proxy's image.
fn app_service<'a>(services: &'a [Service], names: &[String]) -> Option<&'a Service> {
    let proxy = |s: &Service| {
        s.image.as_deref().is_some_and(|image| {
            let repo = image.split([':', '@']).next().unwrap_or(image);
            let last = repo.rsplit('/').next().unwrap_or(repo);
            PROXIES.contains(&last)
        })
    };
    let here = |s: &Service| {
        let context = s.build.as_deref().map(|c| c.trim_end_matches('/'));
        let dockerfile = s.dockerfile.as_deref().map(|f| f.trim_start_matches("./"));
        matches!(context, Some("." | "")) && matches!(dockerfile, None | Some("Dockerfile"))
    };
    let candidates: Vec<&Service> = services.iter().filter(|s| !proxy(s)).collect();
    candidates
        .iter()
        .find(|s| here(s))
        .or_else(|| candidates.iter().find(|s| names.contains(&fold(&s.name))))
        .copied()
}

/// The services of a compose file, read line by line by indentation (block style, with flow
/// lists for `ports:`); enough for `build`, `image` and `ports`, nothing else.
fn services(text: &str) -> Vec<Service> {
    let mut out: Vec<Service> = Vec::new();
    let mut in_services = false;
    let mut service_indent: Option<usize> = None;
    let mut key_indent: Option<usize> = None;
    let mut key = String::new();
    for raw in text.lines() {
        let line = strip_comment(raw);
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if indent == 0 {
            in_services = trimmed == "services:";
            service_indent = None;
            continue;
        }
        if !in_services {
            continue;
        }
        let at_service = *service_indent.get_or_insert(indent);
        if indent < at_service {
            continue;
        }
        if indent == at_service {
            if let Some(name) = trimmed.strip_suffix(':') {
                out.push(Service {
                    name: unquote(name).to_string(),
                    ..Service::default()
                });
                key_indent = None;
                key.clear();
            }
            continue;
        }
        let Some(service) = out.last_mut() else {
            continue;
        };
        let at_key = *key_indent.get_or_insert(indent);
        if indent == at_key {
            let (k, v) = trimmed.split_once(':').unwrap_or((trimmed, ""));
            key = k.trim().to_string();
            let v = unquote(v.trim());
            match key.as_str() {
                "build" if !v.is_empty() => service.build = Some(v.to_string()),
                // A mapping follows: its context defaults to `.`.
                "build" => service.build = Some(".".into()),
                "image" => service.image = Some(v.to_string()),
                "ports" => {
                    if let Some(list) = v.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                        service.ports.extend(
                            list.split(',')
                                .filter_map(|p| container_port(unquote(p.trim()))),
                        );
                    }
                }
                _ => {}
            }
            continue;
        }
        // Deeper: the items of the current key.
        match key.as_str() {
            "build" => {
                if let Some((k, v)) = trimmed.split_once(':') {
                    let v = unquote(v.trim()).to_string();
                    match k.trim() {
                        "context" => service.build = Some(v),
                        "dockerfile" => service.dockerfile = Some(v),
                        _ => {}
                    }
                }
            }
            "ports" => {
                let item = trimmed.strip_prefix("- ").map(str::trim).unwrap_or(trimmed);
                // Long syntax: `- target: 8000` (then `published: …`).
                if let Some(target) = item.strip_prefix("target:") {
                    service.ports.extend(container_port(unquote(target.trim())));
                } else if trimmed.starts_with("- ") && !item.contains(": ") {
                    service.ports.extend(container_port(unquote(item)));
                }
            }
            _ => {}
        }
    }
    out
}

/// The container side of a short-syntax port (`8000`, `"8080:8000"`, `127.0.0.1:80:8000/tcp`,
/// `${PORT:-8000}:8000`); a range or anything else is not one port.
fn container_port(item: &str) -> Option<String> {
    let container = item.rsplit(':').next().unwrap_or(item);
    let container = container.split('/').next().unwrap_or(container);
    container
        .parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .map(|p| p.to_string())
}

fn unquote(s: &str) -> &str {
    s.trim_matches(|c| c == '"' || c == '\'')
}

/// A line without its `#` comment (a `#` at the start or after a space, outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return &line[..i],
            None => {}
        }
        prev = c;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ports(compose: &str, name: Option<&str>) -> (Option<Raw>, Option<String>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("docker-compose.yml"), compose).unwrap();
        let mut d = Detection::default();
        if let Some(n) = name {
            d.answers.insert(Field::Name, Raw::Text(n.into()));
        }
        detect_ports(dir.path(), &mut d);
        (
            d.answers.get(&Field::Ports).cloned(),
            d.origins.get(&Field::Ports).cloned(),
        )
    }

    const PROXIED: &str = r#"
services:
  # The reverse proxy comes first, as it often does.
  proxy:
    image: nginx:1.27-alpine
    ports:
      - "80:80"
      - "443:443"
    depends_on: [app]
  db:
    image: postgres:16
    ports: ["5432:5432"]
  app:
    build:
      context: .
      dockerfile: Dockerfile
    environment:
      - "PORT=8000"
    ports:
      - "127.0.0.1:8000:8000/tcp"   # the app
      - target: 9000
        published: "9000"
volumes:
  data:
"#;

    #[test]
    fn only_the_app_services_ports_are_taken() {
        let (p, why) = ports(PROXIED, None);
        assert_eq!(p, Some(Raw::List(vec!["8000".into(), "9000".into()])));
        assert_eq!(
            why.as_deref(),
            Some("ports of the service `app` in the existing docker-compose.yml")
        );
    }

    #[test]
    fn a_service_named_like_the_project_is_the_app_and_a_proxy_never_is() {
        let named = "services:\n  traefik:\n    image: traefik:v3\n    ports:\n      - 80:80\n  my-shop:\n    image: ghcr.io/me/my-shop:latest\n    ports:\n      - 5000:5000\n";
        assert_eq!(
            ports(named, Some("my_shop")).0,
            Some(Raw::List(vec!["5000".into()]))
        );
        // Only proxies and services of other names: no port is taken from the file.
        assert_eq!(ports(named, Some("other")).0, None);
        let built_proxy =
            "services:\n  web:\n    image: caddy:2\n    build: .\n    ports:\n      - \"443:443\"\n";
        assert_eq!(ports(built_proxy, None).0, None);
    }
}
