//! Which macro folders a detection uses, and loading them into one [`MacroSet`].
//!
//! Order (a macro with the same name and arity in a later source replaces the earlier one):
//! 1. the built-in macros ([`spl_syntax::macros::builtin_macros`]);
//! 2. `<project_root>/macros`, when it exists;
//! 3. the nearest `macros/` folder found by walking up from the detection file, when it
//!    exists and is not the project's (security_content layout: `detections/cloud/x.yml`
//!    uses `macros/` two levels up);
//! 4. the user's `--macros DIR` folders, in the order given.

use std::path::{Path, PathBuf};

use spl_syntax::macros::MacroSet;

use crate::error::DetectionError;
use crate::macro_file::load_macro_dir_with;
use crate::yaml::LoadOptions;

/// The macro folders for `detection_path` found on disk: the project's `macros/` (when
/// `project_root` is given), then the nearest `macros/` above the detection file. Folders that
/// do not exist are left out, and the same folder is listed once.
pub fn macro_dirs_for(detection_path: &Path, project_root: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(root) = project_root {
        let project_macros = root.join("macros");
        if project_macros.is_dir() {
            dirs.push(project_macros);
        }
    }
    if let Some(found) = nearest_macros_dir(detection_path) {
        if !dirs.iter().any(|dir| same_dir(dir, &found)) {
            dirs.push(found);
        }
    }
    dirs
}

/// The first `macros/` folder in the detection's folder or one of its ancestors.
fn nearest_macros_dir(detection_path: &Path) -> Option<PathBuf> {
    let absolute =
        std::fs::canonicalize(detection_path).unwrap_or_else(|_| detection_path.to_path_buf());
    absolute
        .ancestors()
        .skip(1)
        .map(|dir| dir.join("macros"))
        .find(|candidate| candidate.is_dir())
}

/// True when both paths name the same folder.
fn same_dir(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The macros for `detection_path`: built-ins, then [`macro_dirs_for`], then `user_dirs`
/// (later wins). A user folder that cannot be read is an error.
pub fn load_macros_for(
    detection_path: &Path,
    project_root: Option<&Path>,
    user_dirs: &[PathBuf],
    options: &LoadOptions,
) -> Result<MacroSet, DetectionError> {
    let mut set = MacroSet::with_builtins();
    let dirs = macro_dirs_for(detection_path, project_root);
    for dir in dirs.iter().chain(user_dirs) {
        set.extend(load_macro_dir_with(dir, options)?.iter().cloned());
    }
    Ok(set)
}
