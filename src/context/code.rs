//! How the image gets the project's code: the stand-in build (the code copied last, or the
//! wheel installed over it), or what builds it instead (the PEP 517 builder, the source tree
//! of an application) and why; and whether the builder path runs the build helper.

use crate::answers::Answers;
use crate::facts::{Facts, StubBuild};
use crate::model::Installer;

/// How the image gets the project's code (`RenderContext::stub`): the stand-in build, with the
/// code copied last (`overlay`) or the wheel, or (`Err`) what builds it instead and why.
pub fn code_install(answers: &Answers, layout: &Facts) -> Result<StubBuild, String> {
    const PEP517: &str = "the wheel, built from the whole project by the PEP 517 builder";
    let uses_uv = answers.installer.value == Installer::Uv;
    if let Some(reqs) = layout.app_requirements.as_ref().filter(|_| layout.app_tree) {
        return Err(format!("the source tree in /app; {}", reqs.why));
    }
    if let Some(why) = layout.token_build.as_ref().filter(|_| layout.app_tree) {
        return Err(format!("the source tree in /app; {why}"));
    }
    if layout.app_tree {
        return Err("the source tree, copied into /app (no build system, so no wheel)".into());
    }
    if layout.workspace.is_some() && uses_uv {
        return Err(format!(
            "{PEP517} (a uv workspace member: the members it needs are built too)"
        ));
    }
    let refusal = if layout.needs_compiler.is_some() {
        Some("the wheel compiles C code".to_string())
    } else if let Some(file) = &layout.hashed_requirements {
        Some(format!("pip installs {file} with its hashes"))
    } else if layout.workspace.is_some() {
        Some("the project is a member of a uv workspace".into())
    } else if let Some(lock) = layout.lock.filter(|_| !uses_uv) {
        Some(format!(
            "pip installs the versions {} pins as constraints",
            lock.file()
        ))
    } else {
        match (&layout.stub_package, &layout.stub_build) {
            (Some(p), _) if *p != answers.package.value => Some(format!("the package is not {p}")),
            (_, None) => Some(
                layout
                    .stub_refusal
                    .clone()
                    .unwrap_or_else(|| "no package was found".into()),
            ),
            _ => None,
        }
    };
    if let Some(why) = refusal {
        return Err(format!("{PEP517} ({why})"));
    }
    let mut stub = layout
        .stub_build
        .clone()
        .expect("no refusal without a stand-in build");
    if stub.overlay && layout.django.is_some() {
        stub.overlay = false;
        stub.why = "the Django site imports the code at build time (collectstatic)".into();
    }
    Ok(stub)
}

/// Whether the Dockerfiles of the PEP 517 builder path (no stand-in build) run the build
/// helper: always with the builder; for an application tree (no wheel) only where its
/// dependency layer reads `pyproject.toml`, a lock or Poetry's metadata (not with uv, not for
/// hashed requirements unless the test image reads its test tools from `pyproject.toml`).
pub(super) fn needs_build_helper(layout: &Facts, uses_uv: bool) -> bool {
    if !layout.app_tree {
        return true;
    }
    if layout.app_requirements.is_some() {
        // Requirements files and pipenv's export: pip reads them itself.
        return false;
    }
    if uses_uv {
        return false;
    }
    if layout.hashed_requirements.is_some() {
        return layout.has_pyproject
            && (layout.test_extra.is_some() || layout.test_group.is_some());
    }
    true
}
