open_enum! {
    /// Status of an LDAP verification job.
    ///
    /// The spec lists `PENDING`, `SUCCESS` and `FAIL`; the live service reports a failed job
    /// as `FAILED`. Any status other than `PENDING` is final: see [`JobStatus::is_final`].
    #[cfg_attr(
        feature = "ts",
        derive(ts_rs::TS),
        ts(export, type = r#""PENDING" | "SUCCESS" | "FAIL" | "FAILED" | (string & {})"#)
    )]
    pub enum JobStatus {
        /// Atlas is still running the checks.
        Pending => "PENDING",
        /// Every check passed.
        Success => "SUCCESS",
        /// A check failed (the spec's spelling).
        Fail => "FAIL",
        /// A check failed (the live service's spelling).
        Failed => "FAILED",
    }
}

impl JobStatus {
    /// Whether the job has finished: every status except `PENDING` is final, including
    /// values this crate does not know.
    pub fn is_final(&self) -> bool {
        !matches!(self, Self::Pending)
    }

    /// Whether the job finished with every check passing.
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Success)
    }
}

open_enum! {
    /// Result of one check of an LDAP verification job.
    #[cfg_attr(
        feature = "ts",
        derive(ts_rs::TS),
        ts(export, type = r#""OK" | "FAIL" | (string & {})"#)
    )]
    pub enum ValidationStatus {
        /// The check passed.
        Ok => "OK",
        /// The check failed; Atlas runs no later checks.
        Fail => "FAIL",
    }
}

open_enum! {
    /// Which check of an LDAP verification job a validation reports.
    ///
    /// Atlas runs them in the order `SERVER_SPECIFIED`, `CONNECT`, `AUTHENTICATE`,
    /// `AUTHORIZATION_ENABLED`, `PARSE_AUTHZ_QUERY_TEMPLATE`, `QUERY_SERVER` and stops at
    /// the first failure. `PARSE_AUTHZ_QUERY_TEMPLATE` is sent by the live service but
    /// missing from the spec, which lists `PARSE_AUTHZ_QUERY` and `TEMPLATE` instead.
    #[cfg_attr(
        feature = "ts",
        derive(ts_rs::TS),
        ts(export, type = r#""SERVER_SPECIFIED" | "CONNECT" | "AUTHENTICATE" | "AUTHORIZATION_ENABLED" | "PARSE_AUTHZ_QUERY_TEMPLATE" | "PARSE_AUTHZ_QUERY" | "TEMPLATE" | "QUERY_SERVER" | (string & {})"#)
    )]
    pub enum ValidationType {
        /// A server host name was given.
        ServerSpecified => "SERVER_SPECIFIED",
        /// Atlas opened a TLS connection to the server.
        Connect => "CONNECT",
        /// The bind user authenticated.
        Authenticate => "AUTHENTICATE",
        /// Authorization is enabled, so the query checks apply.
        AuthorizationEnabled => "AUTHORIZATION_ENABLED",
        /// The `authzQueryTemplate` parsed (live name).
        ParseAuthzQueryTemplate => "PARSE_AUTHZ_QUERY_TEMPLATE",
        /// The authorization query parsed (spec name).
        ParseAuthzQuery => "PARSE_AUTHZ_QUERY",
        /// The query template was valid (spec name).
        Template => "TEMPLATE",
        /// The authorization query ran on the server.
        QueryServer => "QUERY_SERVER",
    }
}
