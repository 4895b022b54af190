//! Collecting issues while a validator walks its input.
//!
//! Paths are built lazily: a [`Path`] is a chain of borrowed segments on the stack and is
//! rendered to a `String` only when an issue is actually reported, so valid input allocates
//! nothing for paths or messages.

use super::issue::{FieldIssue, Locale, Severity, Validation};
use super::messages::Code;

/// A JSON path such as `ldap.userToDNMapping[1].match`, as a chain of borrowed segments.
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    /// The outermost name; `""` is the whole body.
    Root(&'a str),
    /// An object member of the parent.
    Key(&'a Path<'a>, &'a str),
    /// An array element of the parent.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    pub(crate) fn key(&'a self, name: &'a str) -> Path<'a> {
        Path::Key(self, name)
    }

    pub(crate) fn index(&'a self, i: usize) -> Path<'a> {
        Path::Index(self, i)
    }

    fn is_empty(&self) -> bool {
        matches!(self, Path::Root(""))
    }

    fn write_to(&self, out: &mut String) {
        match self {
            Path::Root(name) => out.push_str(name),
            Path::Key(parent, name) => {
                parent.write_to(out);
                if !parent.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Path::Index(parent, i) => {
                parent.write_to(out);
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }

    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out);
        out
    }
}

/// The issues found so far, in the caller's locale.
pub(crate) struct Report {
    locale: Locale,
    issues: Vec<FieldIssue>,
}

impl Report {
    pub(crate) fn new(locale: Locale) -> Report {
        Report {
            locale,
            issues: Vec::new(),
        }
    }

    pub(crate) fn locale(&self) -> Locale {
        self.locale
    }

    /// Records `code` at `path`; the severity comes from the code.
    pub(crate) fn add(&mut self, path: &Path, code: Code) {
        self.add_with(path, code, &[]);
    }

    /// Records `code` at `path` with message arguments (`%0`, `%1` in the message templates).
    pub(crate) fn add_with(&mut self, path: &Path, code: Code, args: &[&str]) {
        let path = path.render();
        let message = code.message(self.locale, &path, args);
        self.issues.push(FieldIssue {
            path,
            code: code.as_str().to_owned(),
            severity: code.severity(),
            message,
        });
    }

    pub(crate) fn finish(self) -> Validation {
        Validation::from_issues(self.issues)
    }
}

impl Validation {
    /// Builds a result from its issues; `ok` is true when none of them is an error.
    pub fn from_issues(issues: Vec<FieldIssue>) -> Validation {
        let ok = !issues.iter().any(|i| i.severity == Severity::Error);
        Validation { ok, issues }
    }

    /// Issues of severity `error`.
    pub fn errors(&self) -> impl Iterator<Item = &FieldIssue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }

    /// Issues of severity `warning`.
    pub fn warnings(&self) -> impl Iterator<Item = &FieldIssue> {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
    }
}

/// Runs one check against a fresh report and returns its result.
pub(crate) fn run(locale: Locale, check: impl FnOnce(&mut Report)) -> Validation {
    let mut report = Report::new(locale);
    check(&mut report);
    report.finish()
}
