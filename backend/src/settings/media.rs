//! Where pictures are kept and how big they may be (`backend::media`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaStorageKind {
    /// Files in `media.dir`: the zero-configuration default, for one node.
    Disk,
    /// An S3-compatible object store (Garage, MinIO, AWS…), for several nodes.
    S3,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaSettings {
    pub storage: MediaStorageKind,
    /// With the disk storage: the directory, created when missing.
    pub dir: PathBuf,
    pub s3: S3Settings,
    /// Largest upload of a picture that is neither an avatar nor a banner (Mobilizon's
    /// `upload_limit`).
    pub upload_limit_bytes: u64,
    /// Mobilizon's `avatar_upload_limit`.
    pub avatar_limit_bytes: u64,
    /// Mobilizon's `banner_upload_limit`.
    pub banner_limit_bytes: u64,
    /// What one account's identities may keep stored at once, all variants counted.
    pub quota_bytes_per_user: u64,
    /// Pictures nothing points at (never attached, replaced, taken off, or whose event was
    /// deleted) are deleted this long after they became orphans.
    pub orphan_grace_hours: i64,
    /// Wider or taller pictures are refused before they are decoded.
    pub max_dimension: u32,
    /// Memory one decoding may claim; a decompression bomb asks for more and is refused.
    pub max_decode_bytes: u64,
    /// Memory each node gives to small pictures it served (thumbnails, cards), so that
    /// serving them again reads no storage; 0 keeps none.
    pub cache_bytes: u64,
}

impl Default for MediaSettings {
    fn default() -> Self {
        Self {
            storage: MediaStorageKind::Disk,
            dir: PathBuf::from("media"),
            s3: S3Settings::default(),
            upload_limit_bytes: 10_000_000,
            avatar_limit_bytes: 2_000_000,
            banner_limit_bytes: 4_000_000,
            quota_bytes_per_user: 100_000_000,
            orphan_grace_hours: 48,
            max_dimension: 10_000,
            max_decode_bytes: 128 * 1024 * 1024,
            cache_bytes: 32 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct S3Settings {
    /// `https://s3.example.org`; unset: AWS's own endpoint for the region.
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    /// Allow an `http://` endpoint: only for a store on the same machine or network.
    pub allow_http: bool,
}

impl Default for S3Settings {
    fn default() -> Self {
        Self {
            endpoint: None,
            bucket: String::new(),
            region: "us-east-1".to_owned(),
            access_key_id: None,
            secret_access_key: None,
            allow_http: false,
        }
    }
}

impl MediaSettings {
    /// The largest upload, whatever it is for: what a multipart request may carry.
    pub fn largest_limit_bytes(&self) -> u64 {
        self.upload_limit_bytes
            .max(self.avatar_limit_bytes)
            .max(self.banner_limit_bytes)
    }

    pub(super) fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (name, value) in [
            ("upload_limit_bytes", self.upload_limit_bytes),
            ("avatar_limit_bytes", self.avatar_limit_bytes),
            ("banner_limit_bytes", self.banner_limit_bytes),
        ] {
            if !(1024..=1024 * 1024 * 1024).contains(&value) {
                problems.push(format!(
                    "key \"media.{name}\": expected between 1024 and 1073741824 bytes"
                ));
            }
        }
        if self.quota_bytes_per_user < self.largest_limit_bytes() {
            problems.push(
                "key \"media.quota_bytes_per_user\": must be at least the largest upload limit"
                    .to_owned(),
            );
        }
        if !(0..=24 * 365).contains(&self.orphan_grace_hours) {
            problems
                .push("key \"media.orphan_grace_hours\": expected between 0 and 8760".to_owned());
        }
        if !(64..=65_535).contains(&self.max_dimension) {
            problems.push("key \"media.max_dimension\": expected between 64 and 65535".to_owned());
        }
        if self.max_decode_bytes < 1024 * 1024 {
            problems.push("key \"media.max_decode_bytes\": must be at least 1048576".to_owned());
        }
        if self.storage == MediaStorageKind::Disk && self.dir.as_os_str().is_empty() {
            problems.push("key \"media.dir\": must not be empty".to_owned());
        }
        if self.storage == MediaStorageKind::S3 {
            if self.s3.bucket.trim().is_empty() {
                problems
                    .push("key \"media.s3.bucket\": required when media.storage is s3".to_owned());
            }
            if self.s3.region.trim().is_empty() {
                problems
                    .push("key \"media.s3.region\": required when media.storage is s3".to_owned());
            }
            if let Some(endpoint) = &self.s3.endpoint {
                match url::Url::parse(endpoint) {
                    Ok(url) if url.scheme() == "https" => {}
                    Ok(url) if url.scheme() == "http" && self.s3.allow_http => {}
                    Ok(url) if url.scheme() == "http" => problems.push(format!(
                        "key \"media.s3.endpoint\": \"{endpoint}\" is plain http; set media.s3.allow_http = true for a store on a trusted network"
                    )),
                    _ => problems.push(format!(
                        "key \"media.s3.endpoint\": \"{endpoint}\" is not an http(s) URL"
                    )),
                }
            }
            if self.s3.access_key_id.is_some() != self.s3.secret_access_key.is_some() {
                problems.push(
                    "keys \"media.s3.access_key_id\" and \"media.s3.secret_access_key\": set both or neither"
                        .to_owned(),
                );
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_mobilizons_limits_on_a_local_directory() {
        let media = MediaSettings::default();
        assert_eq!(media.storage, MediaStorageKind::Disk);
        assert_eq!(media.dir, PathBuf::from("media"));
        assert_eq!(media.upload_limit_bytes, 10_000_000);
        assert_eq!(media.avatar_limit_bytes, 2_000_000);
        assert_eq!(media.banner_limit_bytes, 4_000_000);
        assert!(media.problems().is_empty());
    }

    #[test]
    fn s3_without_a_bucket_or_with_plain_http_names_the_key() {
        let media = MediaSettings {
            storage: MediaStorageKind::S3,
            s3: S3Settings {
                endpoint: Some("http://127.0.0.1:3900".to_owned()),
                access_key_id: Some("id".to_owned()),
                ..S3Settings::default()
            },
            ..MediaSettings::default()
        };
        let problems = media.problems().join("\n");
        assert!(problems.contains("\"media.s3.bucket\""), "{problems}");
        assert!(problems.contains("\"media.s3.endpoint\""), "{problems}");
        assert!(problems.contains("secret_access_key"), "{problems}");
    }

    #[test]
    fn a_quota_smaller_than_one_upload_is_refused() {
        let media = MediaSettings {
            quota_bytes_per_user: 1_000,
            ..MediaSettings::default()
        };
        let problems = media.problems().join("\n");
        assert!(
            problems.contains("media.quota_bytes_per_user"),
            "{problems}"
        );
    }
}
