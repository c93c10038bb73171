//! Resolution: precedence, defaults, every problem listed, origins.

use super::*;
use crate::model::{Ci, DeployTarget, Kind};

fn flags(values: &[(Field, &str)]) -> Layers {
    let mut layers = Layers::default();
    for (f, v) in values {
        layers
            .flags
            .insert(*f, f.spec().shape.from_text(vec![v.to_string()]));
    }
    layers
}

#[test]
fn defaults_fill_everything_from_a_name() {
    let a = resolve(&flags(&[(Field::Name, "My.Cool_App")])).unwrap();
    assert_eq!(a.package.value, "my_cool_app");
    assert_eq!(a.image(), "my-cool-app");
    assert_eq!(a.python.value, (3, 12));
    assert_eq!(a.ports.value, vec![8000]);
    assert_eq!(a.command.value.argv, vec!["my-cool-app"]);
    assert_eq!(a.base_image.value, "python:3.12-slim");
    assert_eq!(a.arch.value, vec!["amd64", "arm64"]);
    assert!(matches!(a.package.origin, Origin::Default(_)));
    assert_eq!(a.name.origin, Origin::Flag);
}

#[test]
fn ci_and_deploy_are_opt_in_and_recorded_only_when_given() {
    let a = resolve(&flags(&[(Field::Name, "app")])).unwrap();
    assert_eq!(a.ci.value, Ci::None);
    assert!(a.deploy.value.is_empty());
    let recorded: Vec<Field> = a.recorded().into_iter().map(|(f, _)| f).collect();
    assert!(!recorded.contains(&Field::Ci) && !recorded.contains(&Field::Deploy));
    let mut l = flags(&[(Field::Name, "app"), (Field::Ci, "github")]);
    l.flags.insert(
        Field::Deploy,
        Raw::List(vec!["swarm,kubernetes".into(), "swarm".into()]),
    );
    let a = resolve(&l).unwrap();
    assert_eq!(a.ci.value, Ci::Github);
    assert_eq!(
        a.deploy.value,
        [DeployTarget::Kubernetes, DeployTarget::Swarm]
    );
    let recorded: Vec<Field> = a.recorded().into_iter().map(|(f, _)| f).collect();
    assert!(recorded.contains(&Field::Ci) && recorded.contains(&Field::Deploy));
    let err = resolve(&flags(&[(Field::Ci, "gitlab"), (Field::Deploy, "nomad")])).unwrap_err();
    let AnswersError::Invalid(problems) = err else {
        panic!("{err:?}")
    };
    let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
    assert_eq!(fields, [Field::Ci, Field::Deploy]);
}

#[test]
fn every_problem_is_listed() {
    let err = resolve(&flags(&[
        (Field::Name, "My App!"),
        (Field::Python, "2.7"),
        (Field::Ports, "70000"),
        (Field::Arch, "sparc"),
        (Field::Uid, "0"),
        (Field::CoverageMin, "101"),
    ]))
    .unwrap_err();
    let AnswersError::Invalid(problems) = err else {
        panic!("{err:?}")
    };
    let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        [
            Field::Name,
            Field::Python,
            Field::Ports,
            Field::Arch,
            Field::Uid,
            Field::CoverageMin
        ]
    );
    assert!(problems[0].to_string().starts_with("--name `My App!`: "));
}

#[test]
fn flag_beats_file_beats_detected() {
    let mut layers = flags(&[(Field::Python, "3.13")]);
    layers.file = Some((
        PathBuf::from("a.toml"),
        [
            (Field::Python, Raw::Text("3.10".into())),
            (Field::Kind, Raw::Text("cli".into())),
        ]
        .into_iter()
        .collect(),
    ));
    layers.detected = [
        (Field::Kind, Raw::Text("mcp".into())),
        (Field::Uid, Raw::Text("2000".into())),
    ]
    .into_iter()
    .collect();
    layers
        .detected_origin
        .insert(Field::Uid, "Dockerfile USER".into());
    let a = resolve(&layers).unwrap();
    assert_eq!(a.python.value, (3, 13));
    assert_eq!(a.kind.value, Kind::Cli);
    assert_eq!(a.uid.value, 2000);
    assert_eq!(a.uid.origin.to_string(), "from Dockerfile USER");
    assert_eq!(a.ports.value, Vec::<u16>::new());
}

#[test]
fn a_detected_app_is_served_on_the_resolved_port() {
    let mut layers = flags(&[(Field::Ports, "9000")]);
    layers.detected_command = Some((
        DetectedCommand::Framework(crate::model::DetectedApp {
            server: crate::model::Server::Uvicorn,
            target: "svc.main:app".into(),
            factory: false,
            server_declared: false,
        }),
        "the app `app` in src/svc/main.py".into(),
    ));
    let a = resolve(&layers).unwrap();
    assert_eq!(
        a.command.value.argv,
        [
            "uvicorn",
            "svc.main:app",
            "--host",
            "0.0.0.0",
            "--port",
            "9000",
            "--proxy-headers"
        ]
    );
    assert_eq!(a.server.value, ["uvicorn==0.34.0"]);
    assert_eq!(
        a.command.origin.to_string(),
        "from the app `app` in src/svc/main.py"
    );
    // A literal `{port}` in a given command is the user's text, never substituted.
    let layers = flags(&[(Field::Command, "serve --port {port}")]);
    assert_eq!(
        resolve(&layers).unwrap().command.value.argv,
        ["serve", "--port", "{port}"]
    );
}

#[test]
fn every_answer_has_a_distinct_key_and_flag() {
    let mut keys: Vec<_> = Field::ALL.iter().map(|f| f.spec().key).collect();
    let mut flags: Vec<_> = Field::ALL.iter().map(|f| f.spec().flag).collect();
    keys.sort_unstable();
    keys.dedup();
    flags.sort_unstable();
    flags.dedup();
    assert_eq!(keys.len(), Field::ALL.len());
    assert_eq!(flags.len(), Field::ALL.len());
}
