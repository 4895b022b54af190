// A fixed set of realistic updateUserSecurity (PATCH userSecurity) bodies, valid and invalid,
// and inputs for the single-field validators.
const PEM =
  "-----BEGIN CERTIFICATE-----\n" +
  "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n" +
  "RTESMBAGA1UEChMJQmFsdGltb3JlMRMwEQYDVQQLEwpDeWJlclRydXN0MSIwIAYD\n" +
  "VQQDExlCYWx0aW1vcmUgQ3liZXJUcnVzdCBSb290MB4XDTAwMDUxMjE4NDYwMFoX\n" +
  "DTI1MDUxMjIzNTkwMFowWjELMAkGA1UEBhMCSUUxEjAQBgNVBAoTCUJhbHRpbW9y\n" +
  "ZTETMBEGA1UECxMKQ3liZXJUcnVzdDEiMCAGA1UEAxMZQmFsdGltb3JlIEN5YmVy\n" +
  "VHJ1c3QgUm9vdDCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAKMEuyKr\n" +
  "-----END CERTIFICATE-----\n";

export const VALID_BODIES = [
  // Turn LDAP authentication on with a mapping (the README's example, plus a mapping).
  {
    ldap: {
      authenticationEnabled: true,
      authorizationEnabled: false,
      hostname: "ldap.example.com",
      port: 636,
      bindUsername: "CN=BindUser,CN=Users,DC=example,DC=com",
      bindPassword: "s3cret-bind-pw",
      userToDNMapping: [{ match: "(.+)@example\\.com", substitution: "CN={0},CN=Users,DC=example,DC=com" }],
    },
  },
  // Authorization with a query template, a CA and two mappings.
  {
    ldap: {
      authenticationEnabled: true,
      authorizationEnabled: true,
      authzQueryTemplate: "DC=example,DC=com??sub?(&(objectClass=group)(member={USER}))",
      hostname: "10.20.30.40",
      port: 389,
      bindUsername: "CN=svc-atlas,OU=Service Accounts,DC=corp,DC=example,DC=com",
      bindPassword: "another-secret",
      caCertificate: PEM,
      userToDNMapping: [
        { match: "(.+)@corp\\.example\\.com", substitution: "CN={0},OU=Staff,DC=corp,DC=example,DC=com" },
        { match: "([^@]+)", ldapQuery: "DC=corp,DC=example,DC=com??sub?(userPrincipalName={0})" },
      ],
    },
  },
  // Turn LDAP off.
  { ldap: { authenticationEnabled: false, authorizationEnabled: false } },
  // Self-managed X.509 only.
  { customerX509: { cas: PEM } },
];

export const INVALID_BODIES = [
  // port as a string, hostname with a scheme and a port.
  { ldap: { authenticationEnabled: true, hostname: "ldaps://ldap.example.com:636", port: "636", bindUsername: "CN=B,DC=example,DC=com" } },
  // A mapping without match, a template out of range.
  { ldap: { authenticationEnabled: true, hostname: "ldap.example.com", port: 636, userToDNMapping: [{ substitution: "CN={0}" }, { match: "(.+)", substitution: "CN={3}" }] } },
  // ldap of the wrong type.
  { ldap: "enabled" },
  // Authorization without authentication, a port out of range, a bad bind DN.
  { ldap: { authenticationEnabled: false, authorizationEnabled: true, hostname: "ldap.example.com", port: 70000, bindUsername: "BindUser" } },
];

export const BODIES = [...VALID_BODIES, ...INVALID_BODIES];

export const GROUP_IDS = ["32b6e34b3d91647abb20e7b8", "5b6e34b3d91647abb20e7b81", "32B6E34B3D91647ABB20E7B8", "not-an-id"];
export const HOSTNAMES = ["ldap.example.com", "10.20.30.40", "atlas-ldaps-01.ldap.myteam.com", "ldaps://ldap.example.com:636"];
