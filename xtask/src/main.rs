//! `cargo xtask`: a thin command line over the `codegen` library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask codegen [--check]     regenerate generated/ from model/ (--check: fail if anything would change)
  cargo xtask update-model PATH     refresh model/ from a botocore wheel, sdist or unpacked folder";

fn repo_root() -> PathBuf {
    // xtask lives one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent folder")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["update-model", path] => update_model(Path::new(path)),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn codegen(check: bool) -> Result<(), String> {
    let root = repo_root();
    let files = codegen::project::generate_all(&root)?;
    if check {
        let drift = codegen::output::check(&root, &files);
        if !drift.is_empty() {
            return Err(drift.to_string());
        }
        println!("generated code is fresh ({} files)", files.len());
    } else {
        let drift = codegen::output::write(&root, &files).map_err(|e| e.to_string())?;
        for p in drift.changed.iter().chain(&drift.leftover) {
            println!("updated {}", p.display());
        }
        println!(
            "{} files generated, {} changed",
            files.len(),
            drift.changed.len() + drift.leftover.len()
        );
    }
    Ok(())
}

fn update_model(path: &Path) -> Result<(), String> {
    let root = repo_root();
    let report = codegen::update::update_model(&root, path)?;
    print!("{report}");
    Ok(())
}
