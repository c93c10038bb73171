//! Ports an existing Dockerfile or compose file already declares.

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
    for compose in [
        "docker-compose.yml",
        "docker-compose.yaml",
        "compose.yml",
        "compose.yaml",
    ] {
        let Ok(text) = read(target, &target.join(compose)) else {
            continue;
        };
        let mut in_ports = false;
        let mut ports = Vec::new();
        for line in text.lines() {
            let trimmed = line.trim();
            if trimmed.starts_with("ports:") {
                in_ports = true;
                continue;
            }
            if in_ports {
                if let Some(item) = trimmed.strip_prefix("- ") {
                    let item = item.trim_matches(|c| c == '"' || c == '\'');
                    let container = item.rsplit(':').next().unwrap_or(item);
                    let container = container.split('/').next().unwrap_or(container);
                    if container.parse::<u16>().is_ok() {
                        ports.push(container.to_string());
                    }
                } else if !trimmed.is_empty() {
                    in_ports = false;
                }
            }
        }
        if !ports.is_empty() {
            d.answers.insert(Field::Ports, Raw::List(ports));
            d.origins
                .insert(Field::Ports, format!("ports in the existing {compose}"));
            return;
        }
    }
}
