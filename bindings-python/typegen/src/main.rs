//! `poolbook-python-typegen`: writes `bindings-python/python/poolbook/_types.py`
//! from core's source, so the Python record classes have exactly core's
//! fields and cannot drift from it.
//!
//! `cargo run -p poolbook-python-typegen` rewrites the file;
//! `… -- --check` fails (exit 1) when the file differs from what core's
//! source gives, which scripts/check-python runs.

mod defaults;
mod model;
mod read;
mod write;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let core_src = crate_dir.join("../../core/src");
    let target = crate_dir.join("../python/poolbook/_types.py");
    let check = std::env::args().skip(1).any(|arg| arg == "--check");

    let module = match read::read_crate(&core_src).and_then(|defs| write::python_module(&defs)) {
        Ok(module) => module,
        Err(error) => {
            eprintln!("poolbook-python-typegen: {error}");
            return ExitCode::FAILURE;
        }
    };
    let current = std::fs::read_to_string(&target).unwrap_or_default();
    if check {
        if current == module {
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "poolbook-python-typegen: {} is out of date with core's source; \
             run `cargo run -p poolbook-python-typegen` and commit the result",
            target.display()
        );
        return ExitCode::FAILURE;
    }
    if current != module
        && let Err(error) = std::fs::write(&target, module)
    {
        eprintln!("poolbook-python-typegen: {}: {error}", target.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
