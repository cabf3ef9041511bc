//! Finding and loading the search-time field definitions (`sourcetypes/*.conf`, a
//! props.conf subset: see [`spl_engine::sourcetype_fields`]) for a detection.
//!
//! The folder is found like `macros/`: the first `sourcetypes/` folder in the detection's
//! folder or one of its ancestors; for an ad-hoc search, `./sourcetypes` when it exists.
//! Its `*.conf` files are read in file-name order; a key of the same stanza in a later file
//! replaces the earlier one.

use std::path::{Path, PathBuf};

use spl_engine::FieldDefinitions;

use crate::error::DetectionError;
use crate::yaml::{read_text, LoadOptions};

/// The folder name searched for.
pub const SOURCETYPES_DIR: &str = "sourcetypes";

/// The definitions folder for `detection_path` (`None`: an ad-hoc search, which uses
/// `./sourcetypes`); `None` when there is no such folder.
pub fn sourcetype_dir_for(detection_path: Option<&Path>) -> Option<PathBuf> {
    let Some(path) = detection_path else {
        let local = PathBuf::from(SOURCETYPES_DIR);
        return local.is_dir().then_some(local);
    };
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    absolute
        .ancestors()
        .skip(1)
        .map(|dir| dir.join(SOURCETYPES_DIR))
        .find(|candidate| candidate.is_dir())
}

/// Loads every `*.conf` file of `dir` in file-name order into one set of definitions.
/// Errors name the file and line.
pub fn load_field_definitions(
    dir: &Path,
    options: &LoadOptions,
) -> Result<FieldDefinitions, DetectionError> {
    let mut definitions = FieldDefinitions::new();
    for path in conf_files(dir)? {
        let text = read_text(&path, options)?;
        let origin = path.display().to_string();
        let loaded =
            FieldDefinitions::parse(&text, &origin).map_err(|error| DetectionError::Invalid {
                path: path.clone(),
                message: format!("line {}: {}", error.line, error.message),
            })?;
        definitions.merge(loaded);
    }
    Ok(definitions)
}

/// The definitions for `detection_path` (see [`sourcetype_dir_for`]); `None` when there is
/// no `sourcetypes/` folder.
pub fn load_field_definitions_for(
    detection_path: Option<&Path>,
    options: &LoadOptions,
) -> Result<Option<FieldDefinitions>, DetectionError> {
    let Some(dir) = sourcetype_dir_for(detection_path) else {
        return Ok(None);
    };
    load_field_definitions(&dir, options).map(Some)
}

/// The `*.conf` files of `dir`, sorted by name.
fn conf_files(dir: &Path) -> Result<Vec<PathBuf>, DetectionError> {
    let io_error = |source| DetectionError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        let is_conf = path.extension().is_some_and(|e| e == "conf");
        if is_conf && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_load_in_name_order_and_later_keys_win() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("a.conf"),
            "[st]\nEVAL-x = \"a\"\nEVAL-y = \"a\"\n",
        )
        .expect("write");
        std::fs::write(dir.path().join("b.conf"), "[st]\nEVAL-x = \"b\"\n").expect("write");
        std::fs::write(dir.path().join("notes.txt"), "not read").expect("write");
        let definitions =
            load_field_definitions(dir.path(), &LoadOptions::default()).expect("loads");
        let evals = definitions.evals("st");
        assert_eq!(evals, vec![("x", "\"b\""), ("y", "\"a\"")]);
    }

    #[test]
    fn errors_name_file_and_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("bad.conf");
        std::fs::write(&file, "[st]\n\nFIELDALIAS-x = a\n").expect("write");
        let error =
            load_field_definitions(dir.path(), &LoadOptions::default()).expect_err("bad alias");
        let text = error.to_string();
        assert!(
            text.contains("bad.conf") && text.contains("line 3"),
            "{text}"
        );
    }

    #[test]
    fn the_nearest_folder_above_the_detection_is_used() {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(root.path().join("sourcetypes")).expect("mkdir");
        std::fs::create_dir_all(root.path().join("detections/cloud")).expect("mkdir");
        let detection = root.path().join("detections/cloud/x.yml");
        std::fs::write(&detection, "name: x").expect("write");
        let found = sourcetype_dir_for(Some(&detection)).expect("found");
        assert!(found.ends_with("sourcetypes"));
        assert_eq!(
            std::fs::canonicalize(found).ok(),
            std::fs::canonicalize(root.path().join("sourcetypes")).ok()
        );
    }
}
