//! The shared config and credentials files (`~/.aws/config`, `~/.aws/credentials`) and the
//! provider that reads static keys from them.
//!
//! The format, as AWS's SDKs and CLI read it:
//!
//! - `[default]` and `[profile NAME]` sections in the config file; `[NAME]` sections in the
//!   credentials file. Other sections (`[sso-session x]`, `[services x]`, a config-file section
//!   without the `profile ` prefix, a credentials-file section with it) are skipped.
//! - `key = value` properties; keys are case-insensitive. A value continues on following lines
//!   that start with whitespace (sub-properties such as `s3 =\n  addressing_style = path`).
//! - Full-line comments start with `#` or `;`; in a value, `#` or `;` after whitespace starts a
//!   comment.
//! - The same profile in both files is merged; the credentials file wins per key, and a later
//!   section of the same name adds to (and overrides) an earlier one.
//!
//! Files: `AWS_CONFIG_FILE` (default `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE` (default
//! `~/.aws/credentials`); a leading `~` is the home directory. The profile is `AWS_PROFILE`, else
//! `default`. A missing file is not an error; a malformed one is, naming file, line and problem
//! (never the line's text, which may hold a secret).
//!
//! Only regular files are read, and only up to [`MAX_SHARED_FILE_SIZE`] (4 MiB): a FIFO, a
//! device (`/dev/zero`), a socket or a directory at either path is an error naming the file and
//! what it is, found before the file is opened (so a FIFO never blocks); a larger file is an
//! error naming the limit, enforced while reading too. `/dev/null` (the usual way to point the
//! variables at "no file") reads as an empty file.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::env::Env;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// A malformed or unreadable shared file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    pub file: PathBuf,
    /// 1-based; `None` when the whole file is the problem (unreadable, not UTF-8).
    pub line: Option<usize>,
    pub problem: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}, line {line}: {}", self.file.display(), self.problem),
            None => write!(f, "{}: {}", self.file.display(), self.problem),
        }
    }
}

impl std::error::Error for ProfileError {}

/// A property's value and where it was set.
#[derive(Clone, PartialEq, Eq)]
pub struct Property {
    value: String,
    file: PathBuf,
    line: usize,
}

impl Property {
    pub fn value(&self) -> &str {
        &self.value
    }

    /// `FILE, line N`, for messages about the value.
    pub fn location(&self) -> String {
        format!("{}, line {}", self.file.display(), self.line)
    }
}

impl fmt::Debug for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be secrets.
        write!(f, "Property({})", self.location())
    }
}

/// One profile: its properties, merged from both files. `Debug` shows keys, not values.
#[derive(Clone, Default)]
pub struct Profile {
    name: String,
    properties: BTreeMap<String, Property>,
}

impl Profile {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of `key` (case-insensitive).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.property(key).map(Property::value)
    }

    pub fn property(&self, key: &str) -> Option<&Property> {
        self.properties.get(&key.to_ascii_lowercase())
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("keys", &self.properties.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileKind {
    Config,
    Credentials,
}

/// Both shared files, parsed and merged, and which profile is selected.
#[derive(Clone, Debug)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
    selected: String,
    selected_explicitly: bool,
    config_file: Option<PathBuf>,
    credentials_file: Option<PathBuf>,
    found: Vec<PathBuf>,
}

impl ProfileSet {
    /// Reads the files `env` points at. Missing files are skipped.
    pub fn load(env: &Env) -> Result<ProfileSet, ProfileError> {
        let home = |rel: &str| env.home_dir().map(|h| h.join(".aws").join(rel));
        let config_file = env
            .get("AWS_CONFIG_FILE")
            .map(|p| env.expand_home(&p))
            .or_else(|| home("config"));
        let credentials_file = env
            .get("AWS_SHARED_CREDENTIALS_FILE")
            .map(|p| env.expand_home(&p))
            .or_else(|| home("credentials"));
        let (selected, selected_explicitly) = match env.get("AWS_PROFILE") {
            Some(p) => (p, true),
            None => ("default".to_owned(), false),
        };
        let mut set = ProfileSet {
            profiles: BTreeMap::new(),
            selected,
            selected_explicitly,
            config_file,
            credentials_file,
            found: Vec::new(),
        };
        // Config first, so the credentials file overrides it.
        let files = [
            (set.config_file.clone(), FileKind::Config),
            (set.credentials_file.clone(), FileKind::Credentials),
        ];
        for (file, kind) in files {
            let Some(file) = file else { continue };
            let Some(text) = read(&file)? else { continue };
            parse_into(&text, &file, kind, &mut set.profiles)?;
            set.found.push(file);
        }
        Ok(set)
    }

    /// Parses texts directly (for tests and tools): `config` as a config file, `credentials` as
    /// a credentials file, with `profile` selected.
    pub fn parse(
        config: Option<(&Path, &str)>,
        credentials: Option<(&Path, &str)>,
        profile: &str,
    ) -> Result<ProfileSet, ProfileError> {
        let mut set = ProfileSet {
            profiles: BTreeMap::new(),
            selected: profile.to_owned(),
            selected_explicitly: true,
            config_file: config.map(|c| c.0.to_path_buf()),
            credentials_file: credentials.map(|c| c.0.to_path_buf()),
            found: Vec::new(),
        };
        for (file, kind) in [
            (config, FileKind::Config),
            (credentials, FileKind::Credentials),
        ] {
            if let Some((path, text)) = file {
                parse_into(text, path, kind, &mut set.profiles)?;
                set.found.push(path.to_path_buf());
            }
        }
        Ok(set)
    }

    /// The selected profile's name (`AWS_PROFILE` or `default`).
    pub fn selected_name(&self) -> &str {
        &self.selected
    }

    /// The selected profile, if either file defines it.
    pub fn selected(&self) -> Option<&Profile> {
        self.profiles.get(&self.selected)
    }

    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// Names of all profiles found.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// The selected profile, or why there is none: not found when no file defines it, an error
    /// when `AWS_PROFILE` names a profile that is not there.
    pub fn require_selected(&self) -> Result<&Profile, CredentialsError> {
        if let Some(p) = self.selected() {
            return Ok(p);
        }
        let msg = format!(
            "no profile `{}` in {}",
            self.selected,
            self.describe_files()
        );
        if self.selected_explicitly {
            Err(CredentialsError::new(format!(
                "AWS_PROFILE is `{}` but there is {msg}",
                self.selected
            )))
        } else {
            Err(CredentialsError::not_found(msg))
        }
    }

    /// The files looked at and whether they exist, for messages.
    pub fn describe_files(&self) -> String {
        let show = |f: &Option<PathBuf>, what: &str| match f {
            None => format!("{what} (no home directory)"),
            Some(p) if self.found.contains(p) => p.display().to_string(),
            Some(p) => format!("{} (missing)", p.display()),
        };
        format!(
            "{} or {}",
            show(&self.credentials_file, "credentials file"),
            show(&self.config_file, "config file")
        )
    }
}

/// The largest shared config or credentials file read: 4 MiB. Real files are a few KiB; one
/// with thousands of generated SSO profiles stays well under 2 MiB.
pub const MAX_SHARED_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// The file's text, `None` when it does not exist. Only a regular file of at most
/// [`MAX_SHARED_FILE_SIZE`] bytes is read.
fn read(file: &Path) -> Result<Option<String>, ProfileError> {
    use std::io::Read;

    let whole = |problem: String| ProfileError {
        file: file.to_path_buf(),
        line: None,
        problem,
    };
    // What it is, before opening it: opening a FIFO blocks until something writes to it, and a
    // device may never end.
    match std::fs::metadata(file) {
        // `AWS_CONFIG_FILE=/dev/null` is a common way to say "no file": an empty one.
        Ok(meta) if is_dev_null(&meta) => return Ok(Some(String::new())),
        Ok(meta) => check_kind(&meta).map_err(whole)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(whole(format!("cannot read: {e}"))),
    }
    let mut f = match open(file) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(whole(format!("cannot read: {e}"))),
    };
    // Again for what was opened, in case the path was replaced in between.
    let meta = f
        .metadata()
        .map_err(|e| whole(format!("cannot read: {e}")))?;
    check_kind(&meta).map_err(whole)?;
    // The limit holds while reading too, should the file grow meanwhile.
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_SHARED_FILE_SIZE) as usize);
    f.by_ref()
        .take(MAX_SHARED_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| whole(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_SHARED_FILE_SIZE {
        return Err(whole(too_large(None)));
    }
    String::from_utf8(bytes).map(Some).map_err(|e| {
        whole(format!(
            "not UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Opens `file` for reading; on Unix without blocking, should it have become a FIFO since its
/// metadata was checked (that makes no difference to reading a regular file).
fn open(file: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(file)
}

/// Whether `meta` is that of `/dev/null` (under any name).
#[cfg(unix)]
fn is_dev_null(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    meta.file_type().is_char_device()
        && std::fs::metadata("/dev/null").is_ok_and(|null| null.rdev() == meta.rdev())
}

#[cfg(not(unix))]
fn is_dev_null(_: &std::fs::Metadata) -> bool {
    false
}

/// Only regular files of at most [`MAX_SHARED_FILE_SIZE`] bytes are read.
fn check_kind(meta: &std::fs::Metadata) -> Result<(), String> {
    let kind = meta.file_type();
    if kind.is_file() {
        return match meta.len() {
            len if len > MAX_SHARED_FILE_SIZE => Err(too_large(Some(len))),
            _ => Ok(()),
        };
    }
    let what = if kind.is_dir() {
        "a directory"
    } else {
        special_kind(&kind)
    };
    Err(format!("cannot read: it is {what}, not a regular file"))
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

fn too_large(len: Option<u64>) -> String {
    let size = match len {
        Some(len) => format!("{len} bytes"),
        None => format!("more than {MAX_SHARED_FILE_SIZE} bytes"),
    };
    format!(
        "cannot read: it is {size}, over the limit of {MAX_SHARED_FILE_SIZE} bytes (4 MiB) for \
         shared config and credentials files"
    )
}

/// What a section header means for this file.
enum Section {
    Profile(String),
    Skipped,
}

fn section_name(raw: &str, kind: FileKind) -> Section {
    let raw = raw.trim();
    let prefixed = raw
        .strip_prefix("profile")
        .filter(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        .map(str::trim);
    match (kind, prefixed) {
        (FileKind::Config, Some(name)) => Section::Profile(name.to_owned()),
        (FileKind::Config, None) if raw == "default" => Section::Profile(raw.to_owned()),
        (FileKind::Config, None) => {
            if !raw.contains([' ', '\t']) {
                tracing::warn!(
                    section = raw,
                    "config file section without the `profile ` prefix is ignored"
                );
            }
            Section::Skipped
        }
        (FileKind::Credentials, Some(_)) => {
            tracing::warn!(
                section = raw,
                "credentials file sections take no `profile ` prefix; section ignored"
            );
            Section::Skipped
        }
        (FileKind::Credentials, None) => Section::Profile(raw.to_owned()),
    }
}

/// Cuts a value at a `#` or `;` that follows whitespace.
fn strip_inline_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for i in 1..bytes.len() {
        if (bytes[i] == b'#' || bytes[i] == b';') && (bytes[i - 1] == b' ' || bytes[i - 1] == b'\t')
        {
            return &value[..i];
        }
    }
    value
}

fn parse_into(
    text: &str,
    file: &Path,
    kind: FileKind,
    profiles: &mut BTreeMap<String, Profile>,
) -> Result<(), ProfileError> {
    let err = |line: usize, problem: String| ProfileError {
        file: file.to_path_buf(),
        line: Some(line),
        problem,
    };
    // None: before the first section. Some(None): a skipped section.
    let mut section: Option<Option<String>> = None;
    // The property continuation lines extend: (profile, key) or None in a skipped section.
    let mut last: Option<Option<(String, String)>> = None;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            match &last {
                None => {
                    return Err(err(
                        n,
                        "an indented line continues a property, but no property precedes it".into(),
                    ));
                }
                Some(None) => {}
                Some(Some((profile, key))) => {
                    if let Some(p) = profiles
                        .get_mut(profile)
                        .and_then(|p| p.properties.get_mut(key))
                    {
                        if !p.value.is_empty() {
                            p.value.push('\n');
                        }
                        p.value.push_str(trimmed);
                    }
                }
            }
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('[') {
            let Some(close) = rest.find(']') else {
                return Err(err(n, "a section header without a closing `]`".into()));
            };
            let after = rest[close + 1..].trim_start();
            if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
                return Err(err(
                    n,
                    "unexpected text after the section header's `]`".into(),
                ));
            }
            let raw = &rest[..close];
            if raw.trim().is_empty() {
                return Err(err(n, "a section header with no name".into()));
            }
            let next = match section_name(raw, kind) {
                Section::Profile(name) if name.is_empty() => {
                    return Err(err(n, "`[profile]` with no profile name".into()));
                }
                Section::Profile(name) => {
                    profiles.entry(name.clone()).or_insert_with(|| Profile {
                        name: name.clone(),
                        properties: BTreeMap::new(),
                    });
                    Some(name)
                }
                Section::Skipped => None,
            };
            section = Some(next);
            last = None;
            continue;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            return Err(err(
                n,
                "expected `key = value`, a `[section]` header or a comment".into(),
            ));
        };
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() {
            return Err(err(n, "a property with no name before `=`".into()));
        }
        let Some(current) = &section else {
            return Err(err(
                n,
                format!("property `{key}` comes before any [section] header"),
            ));
        };
        let Some(profile) = current else {
            last = Some(None);
            continue;
        };
        let value = strip_inline_comment(value).trim().to_owned();
        if let Some(p) = profiles.get_mut(profile) {
            p.properties.insert(
                key.clone(),
                Property {
                    value,
                    file: file.to_path_buf(),
                    line: n,
                },
            );
        }
        last = Some(Some((profile.clone(), key)));
    }
    Ok(())
}

/// Keys that mean a profile gets credentials some way this client does not implement itself.
const DELEGATED_KEYS: &[&str] = &[
    "role_arn",
    "sso_session",
    "sso_start_url",
    "web_identity_token_file",
    "credential_source",
];

/// Static keys (`aws_access_key_id`, `aws_secret_access_key`, optional `aws_session_token`)
/// of the selected profile, read from the files at each call.
#[derive(Debug, Clone, Default)]
pub struct ProfileProvider {
    env: Env,
}

impl ProfileProvider {
    /// Reads the files and profile the process environment points at.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the files and profile `env` points at.
    pub fn with_env(env: Env) -> Self {
        ProfileProvider { env }
    }

    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let set = ProfileSet::load(&self.env).map_err(|e| CredentialsError::new(e.to_string()))?;
        static_credentials(&set)
    }
}

/// The selected profile's static keys.
pub fn static_credentials(set: &ProfileSet) -> Result<Credentials, CredentialsError> {
    let profile = set.require_selected()?;
    let name = profile.name();
    let ak = profile.property("aws_access_key_id");
    let sk = profile.property("aws_secret_access_key");
    match (ak, sk) {
        (Some(ak), Some(sk)) if !ak.value().is_empty() && !sk.value().is_empty() => {
            let token = profile
                .get("aws_session_token")
                .filter(|t| !t.is_empty())
                .map(str::to_owned);
            Ok(Credentials::new(
                ak.value(),
                sk.value(),
                token,
                None,
                "Profile",
            ))
        }
        (Some(p), _) | (_, Some(p)) => Err(CredentialsError::new(format!(
            "profile `{name}` ({}) needs both aws_access_key_id and aws_secret_access_key, non-empty",
            p.location()
        ))),
        (None, None) => {
            if profile.get("credential_process").is_some() {
                return Err(CredentialsError::not_found(format!(
                    "profile `{name}` has no static keys (it has a credential_process)"
                )));
            }
            if let Some(key) = DELEGATED_KEYS.iter().find(|k| profile.get(k).is_some()) {
                return Err(CredentialsError::not_found(format!(
                    "profile `{name}` uses `{key}`, which this client does not resolve itself; \
                     enable the `aws-config-bridge` feature and pass aws-config's provider"
                )));
            }
            Err(CredentialsError::not_found(format!(
                "profile `{name}` has no aws_access_key_id"
            )))
        }
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::TempDir;
    use super::*;

    fn config(text: &str) -> Result<ProfileSet, ProfileError> {
        ProfileSet::parse(Some((Path::new("/x/config"), text)), None, "default")
    }

    fn creds(text: &str) -> Result<ProfileSet, ProfileError> {
        ProfileSet::parse(None, Some((Path::new("/x/credentials"), text)), "default")
    }

    #[test]
    fn parses_sections_properties_and_comments() {
        let set = config(
            "# leading comment\n\
             ; another\n\
             [default]\n\
             region = eu-west-1 # trailing comment\n\
             Max_Attempts=5\n\
             key_with_hash = a#b;c\n\
             empty =\n\
             \n\
             [profile dev] ; comment after header\n\
             region = us-west-2\n\
             [ profile  spaced ]\n\
             region=ap-south-1\n\
             [sso-session corp]\n\
             sso_region = us-east-1\n\
             [notprefixed]\n\
             region = nowhere\n",
        )
        .unwrap();
        let d = set.selected().unwrap();
        assert_eq!(d.get("region"), Some("eu-west-1"));
        assert_eq!(d.get("max_attempts"), Some("5"));
        assert_eq!(d.get("MAX_ATTEMPTS"), Some("5"));
        assert_eq!(d.get("key_with_hash"), Some("a#b;c"));
        assert_eq!(d.get("empty"), Some(""));
        assert_eq!(
            d.property("region").unwrap().location(),
            "/x/config, line 4"
        );
        assert_eq!(set.get("dev").unwrap().get("region"), Some("us-west-2"));
        assert_eq!(set.get("spaced").unwrap().get("region"), Some("ap-south-1"));
        let names: Vec<&str> = set.names().collect();
        assert_eq!(names, ["default", "dev", "spaced"]);
    }

    #[test]
    fn continuation_lines_and_crlf() {
        let set = config(
            "[default]\r\ns3 =\r\n  addressing_style = path\r\n\tmax = 10\r\nregion = x\r\n",
        )
        .unwrap();
        let d = set.selected().unwrap();
        assert_eq!(d.get("s3"), Some("addressing_style = path\nmax = 10"));
        assert_eq!(d.get("region"), Some("x"));
    }

    #[test]
    fn credentials_file_sections_have_no_prefix() {
        let set =
            creds("[default]\naws_access_key_id = A\n[profile x]\na = b\n[work]\nk = v\n").unwrap();
        assert!(set.get("work").is_some());
        assert!(set.get("x").is_none() && set.get("profile x").is_none());
        // `[profile default]` in the config file is the default profile too.
        let set = config("[profile default]\nregion = r\n").unwrap();
        assert_eq!(set.selected().unwrap().get("region"), Some("r"));
    }

    #[test]
    fn malformed_files_name_file_line_and_problem() {
        let cases = [
            ("region = x\n", 1, "comes before any [section]"),
            (
                "[default]\nregion = x\n[broken\n",
                3,
                "without a closing `]`",
            ),
            (
                "[default]\n\njust-a-secret-value\n",
                3,
                "expected `key = value`",
            ),
            ("[default]\n= x\n", 2, "no name"),
            ("  indented = first\n", 1, "no property precedes it"),
            ("[]\n", 1, "no name"),
            ("[default] junk\n", 1, "after the section header"),
            ("[profile ]\n", 1, "no profile name"),
        ];
        for (text, line, problem) in cases {
            let e = config(text).unwrap_err();
            assert_eq!(e.line, Some(line), "{text:?}: {e}");
            assert!(e.problem.contains(problem), "{text:?}: {e}");
            assert_eq!(e.file, Path::new("/x/config"));
            let shown = e.to_string();
            assert!(
                shown.starts_with(&format!("/x/config, line {line}: ")),
                "{shown}"
            );
            assert!(!shown.contains("just-a-secret-value"));
        }
    }

    #[test]
    fn credentials_file_overrides_config_file() {
        let set = ProfileSet::parse(
            Some((
                Path::new("/c"),
                "[default]\nregion = from-config\naws_access_key_id = CONFIG\n",
            )),
            Some((Path::new("/k"), "[default]\naws_access_key_id = CREDS\n")),
            "default",
        )
        .unwrap();
        let d = set.selected().unwrap();
        assert_eq!(d.get("aws_access_key_id"), Some("CREDS"));
        assert_eq!(d.get("region"), Some("from-config"));
        // A repeated section adds to the first.
        let set = config("[default]\na = 1\nb = 1\n[default]\nb = 2\n").unwrap();
        let d = set.selected().unwrap();
        assert_eq!((d.get("a"), d.get("b")), (Some("1"), Some("2")));
    }

    #[test]
    fn debug_shows_no_values() {
        let set = creds("[default]\naws_secret_access_key = TOPSECRET\n").unwrap();
        let shown = format!("{set:?}");
        assert!(shown.contains("aws_secret_access_key") && !shown.contains("TOPSECRET"));
    }

    #[test]
    fn loads_files_from_env_overrides_and_home() {
        let dir = TempDir::new("profile-load");
        let cfg = dir.write("cfg", "[profile work]\nregion = eu-central-1\n");
        let cred = dir.write(
            "cred",
            "[work]\naws_access_key_id = AKWORK\naws_secret_access_key = SKWORK\naws_session_token = T\n",
        );
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", cfg.display().to_string()),
            ("AWS_SHARED_CREDENTIALS_FILE", cred.display().to_string()),
            ("AWS_PROFILE", "work".into()),
        ]);
        let set = ProfileSet::load(&env).unwrap();
        assert_eq!(set.selected_name(), "work");
        assert_eq!(set.selected().unwrap().get("region"), Some("eu-central-1"));
        let c = ProfileProvider::with_env(env).load().unwrap();
        assert_eq!(c.access_key_id(), "AKWORK");
        assert_eq!(c.secret_access_key(), "SKWORK");
        assert_eq!(c.session_token(), Some("T"));

        // Default locations under HOME, with `~` in an override.
        dir.write(
            ".aws/credentials",
            "[default]\naws_access_key_id = H\naws_secret_access_key = S\n",
        );
        dir.write("other/config", "[default]\nregion = from-tilde\n");
        let home = dir.path().display().to_string();
        let env = Env::from_vars([
            ("HOME", home.as_str()),
            ("AWS_CONFIG_FILE", "~/other/config"),
        ]);
        let set = ProfileSet::load(&env).unwrap();
        assert_eq!(set.selected().unwrap().get("region"), Some("from-tilde"));
        assert_eq!(
            ProfileProvider::with_env(env)
                .load()
                .unwrap()
                .access_key_id(),
            "H"
        );
    }

    #[test]
    fn missing_files_profiles_and_keys() {
        let dir = TempDir::new("profile-missing");
        let home = dir.path().display().to_string();
        // No files at all: not found, naming where it looked.
        let e = ProfileProvider::with_env(Env::from_vars([("HOME", home.as_str())]))
            .load()
            .unwrap_err();
        assert!(e.is_not_found(), "{e}");
        assert!(e.message().contains("(missing)"), "{e}");
        // No home either.
        let e = ProfileProvider::with_env(Env::from_vars::<_, String, String>([]))
            .load()
            .unwrap_err();
        assert!(
            e.is_not_found() && e.message().contains("no home directory"),
            "{e}"
        );
        // AWS_PROFILE naming a missing profile is an error, not a quiet fallthrough.
        let e = ProfileProvider::with_env(Env::from_vars([
            ("HOME", home.as_str()),
            ("AWS_PROFILE", "nope"),
        ]))
        .load()
        .unwrap_err();
        assert!(
            !e.is_not_found() && e.message().contains("AWS_PROFILE is `nope`"),
            "{e}"
        );

        let only_id = dir.write(".aws/credentials", "[default]\naws_access_key_id = A\n");
        let e = ProfileProvider::with_env(Env::from_vars([("HOME", home.as_str())]))
            .load()
            .unwrap_err();
        assert!(!e.is_not_found(), "{e}");
        assert!(
            e.message()
                .contains(&format!("{}, line 2", only_id.display())),
            "{e}"
        );

        dir.write(
            ".aws/credentials",
            "[default]\nrole_arn = arn:aws:iam::1:role/x\n",
        );
        let e = ProfileProvider::with_env(Env::from_vars([("HOME", home.as_str())]))
            .load()
            .unwrap_err();
        assert!(
            e.is_not_found() && e.message().contains("aws-config-bridge"),
            "{e}"
        );

        dir.write(
            ".aws/credentials",
            "[default]\ncredential_process = /bin/true\n",
        );
        let e = ProfileProvider::with_env(Env::from_vars([("HOME", home.as_str())]))
            .load()
            .unwrap_err();
        assert!(
            e.is_not_found() && e.message().contains("credential_process"),
            "{e}"
        );

        // A malformed file is an error naming the file and line.
        let bad = dir.write(".aws/config", "[default]\nnonsense\n");
        let e = ProfileProvider::with_env(Env::from_vars([("HOME", home.as_str())]))
            .load()
            .unwrap_err();
        assert!(!e.is_not_found());
        assert_eq!(
            e.message(),
            format!(
                "{}, line 2: expected `key = value`, a `[section]` header or a comment",
                bad.display()
            )
        );
    }

    #[test]
    fn unreadable_and_non_utf8_files() {
        let dir = TempDir::new("profile-bad");
        let bin = dir.path().join("bin");
        std::fs::write(&bin, [b'[', 0xff, b']']).unwrap();
        let e = ProfileSet::load(&Env::from_vars([(
            "AWS_CONFIG_FILE",
            bin.display().to_string(),
        )]))
        .unwrap_err();
        assert_eq!(e.line, None);
        assert!(e.problem.contains("not UTF-8"), "{e}");
        // A directory where a file should be.
        let e = ProfileSet::load(&Env::from_vars([(
            "AWS_CONFIG_FILE",
            dir.path().display().to_string(),
        )]))
        .unwrap_err();
        assert_eq!(e.line, None);
        assert_eq!(
            e.to_string(),
            format!(
                "{}: cannot read: it is a directory, not a regular file",
                dir.path().display()
            )
        );
    }

    fn load_config_file(path: &Path) -> Result<ProfileSet, ProfileError> {
        ProfileSet::load(&Env::from_vars([(
            "AWS_CONFIG_FILE",
            path.display().to_string(),
        )]))
    }

    #[test]
    fn size_limit_holds_at_the_boundary() {
        let dir = TempDir::new("profile-size");
        let line = format!("# {}\n", "x".repeat(1021)); // 1 KiB
        let mut text = "[default]\nregion = r\n".to_owned();
        while text.len() + line.len() <= MAX_SHARED_FILE_SIZE as usize {
            text.push_str(&line);
        }
        text.push_str(&"#".repeat(MAX_SHARED_FILE_SIZE as usize - text.len() - 1));
        text.push('\n');
        assert_eq!(text.len() as u64, MAX_SHARED_FILE_SIZE);
        let at_limit = dir.write("at-limit", &text);
        let set = load_config_file(&at_limit).unwrap();
        assert_eq!(set.selected().unwrap().get("region"), Some("r"));

        text.push('\n');
        let over = dir.write("over", &text);
        let e = load_config_file(&over).unwrap_err();
        assert_eq!(e.line, None);
        assert_eq!(
            e.to_string(),
            format!(
                "{}: cannot read: it is 4194305 bytes, over the limit of 4194304 bytes (4 MiB) \
                 for shared config and credentials files",
                over.display()
            )
        );
        assert!(too_large(None).contains("more than 4194304 bytes"));
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_before_opening() {
        use std::sync::mpsc;
        use std::time::Duration;

        let dir = TempDir::new("profile-special");
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // On another thread, so a regression fails the test instead of hanging it.
        let (tx, rx) = mpsc::channel();
        let path = fifo.clone();
        std::thread::spawn(move || {
            let _ = tx.send(load_config_file(&path));
        });
        let result = rx.recv_timeout(Duration::from_secs(5));
        if result.is_err() {
            // Unblock the reader: a writer that opens and closes the FIFO ends its read.
            use std::os::unix::fs::OpenOptionsExt;
            let _ = std::fs::OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&fifo);
        }
        let e = result.expect("a FIFO blocked the read").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: cannot read: it is a FIFO (named pipe), not a regular file",
                fifo.display()
            )
        );

        let e = load_config_file(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/dev/zero: cannot read: it is a character device, not a regular file"
        );

        // `/dev/null`, also through a symlink, is an empty file.
        let link = dir.path().join("null-link");
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        for null in [Path::new("/dev/null"), &link] {
            let set = ProfileSet::load(&Env::from_vars([
                ("AWS_CONFIG_FILE", null.display().to_string()),
                ("AWS_SHARED_CREDENTIALS_FILE", null.display().to_string()),
            ]))
            .unwrap();
            assert_eq!(set.names().count(), 0);
            assert!(!set.describe_files().contains("missing"));
        }
    }
}
