//! The Python that the botocore and boto3 tests run: `LEAN_EMR_BOTO3_PYTHON` (`.ci/run` points it at the virtual
//! environment it installs botocore 1.44.5 and boto3 into), else `python3`.

use std::process::Command;

/// That Python, if it can `import module`. If it cannot, the test is not run (`None`, with a line saying so on
/// stderr naming `test`), unless the variable is set or `CI` is: then a missing module is a failure (a panic).
pub fn python_with(module: &str, test: &str) -> Option<String> {
    let explicit = std::env::var("LEAN_EMR_BOTO3_PYTHON").ok();
    let python = explicit.clone().unwrap_or_else(|| "python3".to_owned());
    let imports = Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if imports {
        return Some(python);
    }
    if explicit.is_some() || std::env::var_os("CI").is_some() {
        panic!(
            "{python} cannot import {module}: run `bash .ci/run`, or set LEAN_EMR_BOTO3_PYTHON to a Python that can"
        );
    }
    eprintln!("{test} not run: {python} has no {module} (`bash .ci/run` installs it into a virtual environment)");
    None
}
