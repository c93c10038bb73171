//! Each field of the context made from the answers and the project's facts: the names, the
//! serving and health check, the base image, the tests, the workspace, how the code gets in.

use super::code::{code_install, needs_build_helper};
use super::health::{app_tree_check, health_check, mcp_endpoint};
use super::{suite, watch, RenderContext, PIPENV_VERSION, TOMLI_REQUIREMENT, UV_VERSION};
use crate::answers::{normalize_name, Answers};
use crate::catalogue::BUILD_HELPER;
use crate::facts::Facts;
use crate::model::{package_dir, Ci, DeployTarget, HealthCheck, Installer, Kind, Transport};
use crate::safety::{kubernetes_name, swarm_name};
use crate::shell::{json_array, line as shell_line};

impl RenderContext {
    pub fn new(answers: &Answers, layout: Facts) -> Self {
        let (major, minor) = answers.python.value;
        let python_version = format!("{major}.{minor}");
        let kind = answers.kind.value;
        let app_port = answers.ports.value.first().copied();
        let package = answers.package.value.clone();

        let transport = answers.transport.value;
        let is_stdio = kind == Kind::Mcp && transport == Transport::Stdio;
        let serves_http = match kind {
            Kind::Mcp => transport.serves_http(),
            k => k.serves_http(),
        };
        let health = &answers.health_path.value;
        let health_any_status = *health == HealthCheck::AnyAnswer;
        let health_speaks_mcp =
            serves_http && kind == Kind::Mcp && mcp_endpoint(health.as_str(), transport);
        let check = match (serves_http, app_port) {
            (true, Some(port)) => Some(health_check(port, health, transport)),
            _ => None,
        };
        let healthcheck: Vec<String> = vec![
            "python".into(),
            "-c".into(),
            check
                .or_else(|| app_tree_check(layout.app_tree, &answers.command.value))
                .unwrap_or_else(|| format!("import {package}")),
        ];
        let mut compose_health = vec!["CMD".to_string()];
        compose_health.extend(healthcheck.iter().cloned());

        let default_base = format!("python:{python_version}-slim");
        let base_image_follows_python = answers.base_image.value == default_base;
        let base_image_arg = if base_image_follows_python {
            "python:${PYTHON_VERSION}-slim".to_string()
        } else {
            answers.base_image.value.clone()
        };
        let source_dir = if layout.src_layout == Some(true) {
            "src".to_string()
        } else {
            package_dir(&package)
        };

        let coverage_min = answers.coverage_min.value;
        let run = suite::test_run(&layout, &package, coverage_min);
        let has_tests = run.has_tests;
        let test_command = run.command;

        let workspace = layout
            .workspace
            .clone()
            .filter(|_| answers.installer.value == Installer::Uv);
        let (build_context, member_prefix) = match &workspace {
            Some(w) => (w.root.clone(), format!("{}/", w.member)),
            None => (".".to_string(), String::new()),
        };

        let stub = code_install(answers, &layout).ok();
        let build_helper =
            stub.is_none() && needs_build_helper(&layout, answers.installer.value == Installer::Uv);

        let wheel_stage = stub
            .as_ref()
            .is_some_and(|s| !s.overlay && answers.installer.value != Installer::Uv);
        let venv_stage = if stub.is_some() { "build" } else { "deps" };
        let watch = watch::watch(answers, &layout, serves_http, venv_stage);

        RenderContext {
            watch,
            stub,
            wheel_stage,
            build_helper,
            build_helper_path: BUILD_HELPER,
            pipenv_version: PIPENV_VERSION,
            needs_tomli: (major, minor) < (3, 11),
            tomli_requirement: TOMLI_REQUIREMENT,
            workspace,
            build_context,
            member_prefix,
            dockwright_version: env!("CARGO_PKG_VERSION"),
            name: answers.name.value.clone(),
            image: answers.image(),
            kube_name: kubernetes_name(&answers.image()),
            swarm_name: swarm_name(&answers.image()),
            script: normalize_name(&answers.name.value),
            package_dir: package_dir(&package),
            package,
            python_version,
            kind: kind.as_str(),
            kind_noun: match kind {
                Kind::Web => "web service",
                Kind::Mcp => "MCP server",
                Kind::Cli => "command-line tool",
                Kind::Library => "Python library",
            },
            is_web: kind == Kind::Web,
            is_mcp: kind == Kind::Mcp,
            is_cli: kind == Kind::Cli,
            is_library: kind == Kind::Library,
            serves_http,
            ports: answers.ports.value.clone(),
            app_port,
            command_json: json_array(&answers.command.value),
            command_line: shell_line(&answers.command.value),
            arches: answers.arch.value.clone(),
            platforms: answers
                .arch
                .value
                .iter()
                .map(|a| format!("linux/{a}"))
                .collect::<Vec<_>>()
                .join(","),
            uid: answers.uid.value,
            base_image_arg,
            base_image: answers.base_image.value.clone(),
            installer: answers.installer.value.as_str(),
            uses_uv: answers.installer.value == Installer::Uv,
            uv_version: UV_VERSION,
            poetry_dependencies: layout.poetry_dependencies,
            base_image_follows_python,
            coverage_min,
            coverage_gate: coverage_min > 0,
            has_tests,
            test_command_json: json_array(&test_command),
            test_workdir: run.workdir,
            test_tree_removes: run.tree_removes,
            django_test_runner: run.django_runner,
            test_env_file: layout.suite.env_file.clone(),
            test_plugins: layout.suite.plugins.clone(),
            test_secret_key_var: layout
                .django
                .as_ref()
                .and(layout.suite.secret_key_var.clone()),
            no_tests_message: suite::NO_TESTS,
            test_config: layout.suite.config.clone(),
            health_path: health.as_str().to_string(),
            healthcheck_json: json_array(&healthcheck),
            healthcheck_compose_json: json_array(&compose_health),
            django_migrate_json: layout
                .django
                .as_ref()
                .map_or_else(String::new, |d| json_array(&d.migrate)),
            django_migrate_line: layout
                .django
                .as_ref()
                .map_or_else(String::new, |d| shell_line(&d.migrate)),
            transport: transport.as_str(),
            is_stdio,
            ci_github: answers.ci.value == Ci::Github,
            deploy_kubernetes: answers.deploy.value.contains(&DeployTarget::Kubernetes),
            deploy_swarm: answers.deploy.value.contains(&DeployTarget::Swarm),
            is_sse: kind == Kind::Mcp && transport == Transport::Sse,
            uses_entrypoint: is_stdio || kind == Kind::Cli,
            has_healthcheck: !is_stdio,
            health_any_status,
            health_speaks_mcp,
            server_requirements: answers.server.value.clone(),
            // An MCP server keeps its sessions in memory: one process, whatever WEB_CONCURRENCY says.
            uses_web_concurrency: kind == Kind::Web && answers.command.value.server.is_some(),
            flask_instance_dir: layout
                .flask_instance
                .as_ref()
                .map(|m| format!("/opt/venv/var/{m}-instance")),
            lock_constraints: if answers.installer.value == Installer::Uv {
                None
            } else {
                layout.lock.map(|l| l.file().to_string())
            },
            secret_patterns: crate::secrets::SECRET_PATTERNS,
            build_packages: stage_packages(&answers.system_packages.value, "build"),
            run_packages: stage_packages(&answers.system_packages.value, "run"),
            layout,
            source_dir,
            skeleton_python_floor: format!("3.{}", crate::answers::rules::PYTHON_MINORS.start()),
        }
    }
}

/// The package names of one stage (`build` or `run`) from `stage:NAME` items.
fn stage_packages(items: &[String], stage: &str) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| i.split_once(':'))
        .filter(|(s, _)| *s == stage)
        .map(|(_, name)| name.to_string())
        .collect()
}
