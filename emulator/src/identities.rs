//! The identity directory: the users and groups that session mappings may name, by id or by name, as IAM Identity
//! Center's identity store would hold them. Loaded from a JSON list of
//! `{"IdentityType": "USER" | "GROUP", "IdentityId": "...", "IdentityName": "..."}`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// A user or a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// `USER` or `GROUP`.
    #[serde(rename = "IdentityType")]
    pub identity_type: String,
    /// The identity store's id, e.g. `9067d1a5c1-4a4e1d42-8b2f-4f2e-9a51-6f1c0f1f2a01`.
    #[serde(rename = "IdentityId")]
    pub identity_id: String,
    /// The user name or group display name.
    #[serde(rename = "IdentityName")]
    pub identity_name: String,
}

impl Identity {
    /// A user.
    pub fn user(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self::new("USER", id, name)
    }

    /// A group.
    pub fn group(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self::new("GROUP", id, name)
    }

    fn new(identity_type: &str, id: impl Into<String>, name: impl Into<String>) -> Self {
        Identity {
            identity_type: identity_type.to_owned(),
            identity_id: id.into(),
            identity_name: name.into(),
        }
    }
}

/// Why a directory could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryError(pub String);

impl fmt::Display for DirectoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DirectoryError {}

/// The identities, checked: known types, no id or name twice within a type.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    identities: Vec<Identity>,
}

impl Directory {
    /// A directory of `identities`, or what is wrong with them (naming the entry).
    pub fn new(identities: Vec<Identity>) -> Result<Self, DirectoryError> {
        for (i, a) in identities.iter().enumerate() {
            let at = || format!("identity {} ({}/{})", i + 1, a.identity_type, a.identity_id);
            if a.identity_type != "USER" && a.identity_type != "GROUP" {
                return Err(DirectoryError(format!("{}: IdentityType must be USER or GROUP", at())));
            }
            if a.identity_id.is_empty() || a.identity_name.is_empty() {
                return Err(DirectoryError(format!(
                    "{}: IdentityId and IdentityName must not be empty",
                    at()
                )));
            }
            for b in &identities[..i] {
                if a.identity_type == b.identity_type
                    && (a.identity_id == b.identity_id || a.identity_name == b.identity_name)
                {
                    return Err(DirectoryError(format!(
                        "{}: a {} with the same id or name is listed before it",
                        at(),
                        a.identity_type
                    )));
                }
            }
        }
        Ok(Directory { identities })
    }

    /// Reads a directory from a JSON file.
    pub fn load(path: &Path) -> Result<Self, DirectoryError> {
        let text = std::fs::read(path).map_err(|e| DirectoryError(format!("{}: {e}", path.display())))?;
        let identities: Vec<Identity> =
            serde_json::from_slice(&text).map_err(|e| DirectoryError(format!("{}: {e}", path.display())))?;
        Self::new(identities).map_err(|e| DirectoryError(format!("{}: {e}", path.display())))
    }

    /// The identity of type `identity_type` with this id.
    pub fn by_id(&self, identity_type: &str, id: &str) -> Option<&Identity> {
        self.identities
            .iter()
            .find(|i| i.identity_type == identity_type && i.identity_id == id)
    }

    /// The identity of type `identity_type` with this name.
    pub fn by_name(&self, identity_type: &str, name: &str) -> Option<&Identity> {
        self.identities
            .iter()
            .find(|i| i.identity_type == identity_type && i.identity_name == name)
    }

    /// The identities, in the order given.
    pub fn into_identities(self) -> Vec<Identity> {
        self.identities
    }

    /// How many users and groups.
    pub fn counts(&self) -> (usize, usize) {
        let users = self.identities.iter().filter(|i| i.identity_type == "USER").count();
        (users, self.identities.len() - users)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_are_found_by_type_and_id_or_name() {
        let d = Directory::new(vec![Identity::user("u-1", "alice"), Identity::group("g-1", "alice")]).unwrap();
        assert_eq!(d.by_name("USER", "alice").unwrap().identity_id, "u-1");
        assert_eq!(d.by_name("GROUP", "alice").unwrap().identity_id, "g-1");
        assert_eq!(d.by_id("USER", "g-1"), None);
        assert_eq!(d.counts(), (1, 1));
    }

    #[test]
    fn bad_directories_name_the_entry() {
        let twice = Directory::new(vec![Identity::user("u-1", "a"), Identity::user("u-2", "a")]).unwrap_err();
        assert!(twice.0.starts_with("identity 2 (USER/u-2)"), "{twice}");
        let kind = Directory::new(vec![Identity::new("ROBOT", "r", "r")]).unwrap_err();
        assert!(kind.0.contains("IdentityType must be USER or GROUP"), "{kind}");
        assert!(serde_json::from_str::<Vec<Identity>>(r#"[{"IdentityType": "USER", "IdentityId": "x"}]"#).is_err());
    }
}
