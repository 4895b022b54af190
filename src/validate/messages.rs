//! Every issue code, its severity, and its English and Chinese messages, in one place.
//!
//! Message templates use `%f` for the field's path and `%0`, `%1` for arguments.

use super::issue::{Locale, Severity};

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $sev:ident, $en:literal, $zh:literal; )*) => {
        /// A stable issue code. [`Code::as_str`] gives the lower_snake_case string that
        /// appears in [`FieldIssue::code`](super::FieldIssue::code).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable lower_snake_case string of this code.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// Whether an issue with this code is an error or a warning.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// The message template in `locale` (`%f` is the field, `%0`/`%1` arguments).
            pub fn template(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $((Code::$variant, Locale::En) => $en,
                      (Code::$variant, Locale::Zh) => $zh,)*
                }
            }
        }
    };
}

codes! {
    /// A required value is missing or empty.
    Required = "required", Error,
        "`%f` is required and must not be empty.",
        "`%f` 为必填项，不能为空。";
    /// The value has the wrong JSON type (`%0` names the expected type).
    Type = "type", Error,
        "`%f` must be %0.",
        "`%f` 必须是%0。";
    /// The value does not have the required format (`%0` describes it).
    Pattern = "pattern", Error,
        "`%f` has the wrong format: it must be %0.",
        "`%f` 格式不正确：必须是%0。";
    /// A host name longer than 253 characters.
    TooLong = "too_long", Error,
        "`%f` is longer than 253 characters; use a shorter host name.",
        "`%f` 超过 253 个字符，请使用更短的主机名。";
    /// A host name label (the text between dots) longer than 63 characters.
    LabelTooLong = "label_too_long", Error,
        "`%f` has a label (the text between two dots) longer than 63 characters; shorten it.",
        "`%f` 中有标签（两个点之间的部分）超过 63 个字符，请缩短。";
    /// A dotted-quad IPv4 address with a number above 255.
    OctetRange = "octet_range", Error,
        "`%f` looks like an IPv4 address, but each of its four numbers must be from 0 to 255.",
        "`%f` 看起来是 IPv4 地址，但其中四个数字都必须在 0 到 255 之间。";
    /// A distinguished name with an empty RDN or a dangling `,` or `+`.
    DnEmptyRdn = "dn_empty_rdn", Error,
        "`%f` has an empty part: remove the leading, trailing or doubled `,` or `+`.",
        "`%f` 中有空的部分：请删除开头、结尾或重复的 `,` 或 `+`。";
    /// An RDN that does not start with an attribute type and `=`.
    DnAttributeType = "dn_attribute_type", Error,
        "`%f` must be a distinguished name like `CN=BindUser,DC=example,DC=com`: every part needs an attribute type (such as CN, OU, DC) followed by `=`, with no spaces around `,`, `+` or `=`.",
        "`%f` 必须是类似 `CN=BindUser,DC=example,DC=com` 的可分辨名称：每一部分都需要属性类型（如 CN、OU、DC）后跟 `=`，`,`、`+`、`=` 两侧不能有空格。";
    /// A value containing a special character that must be escaped.
    DnUnescaped = "dn_unescaped", Error,
        "`%f` contains a special character that must be escaped with `\\`: `\"` `;` `<` `>` anywhere, `#` or a space at the start of a value, a space at the end.",
        "`%f` 含有必须用 `\\` 转义的特殊字符：任意位置的 `\"` `;` `<` `>`，值开头的 `#` 或空格，值结尾的空格。";
    /// A backslash not followed by a special character or two hex digits.
    DnEscape = "dn_escape", Error,
        "`%f` has an invalid escape: `\\` must be followed by one of `, + \" \\ < > ; = #`, a space, or two hex digits.",
        "`%f` 中有无效的转义：`\\` 后面必须是 `, + \" \\ < > ; = #` 之一、空格或两位十六进制数字。";
    /// A `#` value that is not an even number of hex digits.
    DnHexstring = "dn_hexstring", Error,
        "`%f` has a value starting with `#`, which must be followed by pairs of hex digits; write `\\#` for a literal `#`.",
        "`%f` 中有以 `#` 开头的值，其后必须是成对的十六进制数字；字面量 `#` 请写成 `\\#`。";
    /// A number outside its allowed range.
    Range = "range", Error,
        "`%f` must be an integer from 1 to 65535.",
        "`%f` 必须是 1 到 65535 之间的整数。";
    /// LDAP authorization turned on while LDAP authentication is turned off.
    AuthorizationWithoutAuthentication = "authorization_without_authentication", Error,
        "`%f` cannot be true while `authenticationEnabled` is false: enable LDAP authentication first.",
        "`authenticationEnabled` 为 false 时 `%f` 不能为 true：请先启用 LDAP 身份验证。";
    /// An LDAP URL template with more than five `?`-separated parts.
    QuerySyntax = "query_syntax", Error,
        "`%f` must have the form `dn?attributes?scope?filter?extensions` (at most four `?`).",
        "`%f` 必须是 `dn?attributes?scope?filter?extensions` 形式（最多四个 `?`）。";
    /// An LDAP URL template whose scope is not base, one or sub.
    QueryScope = "query_scope", Error,
        "`%f` has an invalid scope: the third part must be `base`, `one` or `sub`.",
        "`%f` 的范围无效：第三部分必须是 `base`、`one` 或 `sub`。";
    /// An LDAP URL template whose filter has unbalanced parentheses.
    QueryFilter = "query_filter", Error,
        "`%f` has a filter (the fourth part) with unbalanced parentheses.",
        "`%f` 的过滤器（第四部分）括号不匹配。";
    /// An authorization query template without the `{USER}` placeholder.
    QueryMissingUser = "query_missing_user", Warning,
        "`%f` does not contain `{USER}`, so the query is the same for every user; add `{USER}` where the user's DN belongs.",
        "`%f` 不包含 `{USER}`，查询对所有用户都相同；请在用户 DN 的位置加入 `{USER}`。";
    /// A regular expression with unbalanced groups or character classes.
    RegexSyntax = "regex_syntax", Error,
        "`%f` is not a valid regular expression: check that every `(` has a `)`, every `[` has a `]`, and it does not end with `\\`.",
        "`%f` 不是有效的正则表达式：请检查每个 `(` 都有 `)`、每个 `[` 都有 `]`，且不以 `\\` 结尾。";
    /// A user-to-DN mapping with neither `substitution` nor `ldapQuery`.
    MappingTemplateMissing = "mapping_template_missing", Error,
        "`%f` needs a `substitution` or an `ldapQuery`.",
        "`%f` 需要 `substitution` 或 `ldapQuery`。";
    /// A user-to-DN mapping with both `substitution` and `ldapQuery`.
    MappingBothTemplates = "mapping_both_templates", Warning,
        "`%f` is ignored because `substitution` is also given; keep only one of them.",
        "由于同时提供了 `substitution`，`%f` 将被忽略；请只保留其中一个。";
    /// A `{n}` placeholder without a matching capture group.
    PlaceholderRange = "placeholder_range", Error,
        "`%f` uses `{%0}`, but `match` has %1 capture group(s); placeholders go from `{0}` to one less than the number of groups.",
        "`%f` 使用了 `{%0}`，但 `match` 只有 %1 个捕获组；占位符应从 `{0}` 到捕获组数减一。";
    /// Text that is not one or more PEM certificates.
    Pem = "pem", Error,
        "`%f` must be one or more PEM certificates, each from `-----BEGIN CERTIFICATE-----` to `-----END CERTIFICATE-----`, or \"\" to delete it.",
        "`%f` 必须是一个或多个 PEM 证书（每个从 `-----BEGIN CERTIFICATE-----` 到 `-----END CERTIFICATE-----`），或用 \"\" 删除。";
    /// A PEM certificate whose body is not base64.
    PemBase64 = "pem_base64", Error,
        "`%f` has a certificate body that is not valid base64; paste the certificate unchanged.",
        "`%f` 中证书内容不是有效的 base64；请原样粘贴证书。";
    /// PEM text with Windows line endings.
    Crlf = "crlf", Error,
        "`%f` uses Windows line endings (`\\r\\n`); use `\\n` only.",
        "`%f` 使用了 Windows 换行符（`\\r\\n`）；请只使用 `\\n`。";
    /// The same value twice in a list that must be unique.
    Duplicate = "duplicate", Error,
        "`%f` repeats an earlier role; list each role once.",
        "`%f` 与前面的角色重复；每个角色只能列出一次。";
    /// A role name that Atlas does not document for projects.
    UnknownRole = "unknown_role", Warning,
        "`%f` is not a documented Atlas project role (such as GROUP_OWNER or GROUP_READ_ONLY); check the spelling.",
        "`%f` 不是 Atlas 文档中的项目角色（如 GROUP_OWNER、GROUP_READ_ONLY）；请检查拼写。";
    /// Valid, but rejected by the pattern that the Atlas API spec documents.
    SpecPattern = "spec_pattern", Warning,
        "`%f` is valid, but the pattern documented in the Atlas API spec does not match it; Atlas accepts such values in practice, but check it if a request fails.",
        "`%f` 有效，但不符合 Atlas API 规范中记载的模式；Atlas 实际上接受此类值，如请求失败请检查。";
}

/// What a `pattern` issue expects, named in the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Id,
    Hostname,
}

impl Format {
    pub(crate) fn describe(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Format::Id, Locale::En) => "exactly 24 lowercase hexadecimal digits (0-9, a-f)",
            (Format::Id, Locale::Zh) => "恰好 24 位小写十六进制数字（0-9、a-f）",
            (Format::Hostname, Locale::En) => {
                "a host name (such as ldap.example.com), an IPv4 address or an IPv6 address, without scheme, port, path or spaces"
            }
            (Format::Hostname, Locale::Zh) => {
                "主机名（如 ldap.example.com）、IPv4 地址或 IPv6 地址，不带协议、端口、路径或空格"
            }
        }
    }
}

/// The name of a JSON type for a `type` message, such as "a string" / "字符串".
pub(crate) fn expected_type(expected: &str, locale: Locale) -> &str {
    match (expected, locale) {
        ("string", Locale::En) => "a string",
        ("object", Locale::En) => "an object",
        ("array", Locale::En) => "an array",
        ("boolean", Locale::En) => "a boolean (true or false)",
        ("integer", Locale::En) => "an integer",
        ("string", Locale::Zh) => "字符串",
        ("object", Locale::Zh) => "对象",
        ("array", Locale::Zh) => "数组",
        ("boolean", Locale::Zh) => "布尔值（true 或 false）",
        ("integer", Locale::Zh) => "整数",
        (other, _) => other,
    }
}

impl Code {
    /// The message for an issue at `field` (a rendered path), with arguments filled in.
    pub fn message(self, locale: Locale, field: &str, args: &[&str]) -> String {
        let field = if field.is_empty() {
            match locale {
                Locale::En => "body",
                Locale::Zh => "请求体",
            }
        } else {
            field
        };
        let template = self.template(locale);
        let mut out = String::with_capacity(template.len() + field.len() + 16);
        let mut rest = template;
        while let Some(at) = rest.find('%') {
            out.push_str(&rest[..at]);
            let after = &rest[at + 1..];
            let mut chars = after.chars();
            match chars.next() {
                Some('f') => out.push_str(field),
                Some(d @ '0'..='9') => {
                    let i = d as usize - '0' as usize;
                    out.push_str(args.get(i).copied().unwrap_or(""));
                }
                Some(c) => {
                    out.push('%');
                    out.push(c);
                }
                None => out.push('%'),
            }
            rest = chars.as_str();
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Chinese text outside `code` spans, where punctuation must be full-width.
    fn prose(text: &str) -> String {
        text.split('`').step_by(2).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn chinese_messages_use_full_width_punctuation() {
        let mut texts: Vec<String> = Code::ALL
            .iter()
            .map(|c| c.template(Locale::Zh).to_owned())
            .collect();
        texts.push(Format::Id.describe(Locale::Zh).to_owned());
        texts.push(Format::Hostname.describe(Locale::Zh).to_owned());
        texts.push(expected_type("boolean", Locale::Zh).to_owned());
        for text in texts {
            let outside = prose(&text);
            for ascii in [',', ':', ';', '(', ')'] {
                assert!(!outside.contains(ascii), "{ascii:?} in {text:?}");
            }
        }
    }
}
