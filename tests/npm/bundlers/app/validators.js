// The page of an app that only validates forms: `atlas-ldap/validators`, its own small module.
import { init, validateGroupId, validateHostname, validateUserSecurity, SPEC_PATTERNS } from "atlas-ldap/validators";
import { report } from "./report.js";

report(async () => {
  await init();
  return {
    groupId: validateGroupId("32b6e34b3d91647abb20e7b8"),
    hostnameEn: validateHostname("atlas-ldaps-01.ldap.myteam.com"),
    bodyEn: validateUserSecurity({ ldap: { hostname: "ldap.example.com:636", port: 0 } }),
    bodyZh: validateUserSecurity({ ldap: { hostname: "ldap.example.com:636", port: 0 } }, { locale: "zh" }),
    groupIdPattern: SPEC_PATTERNS.groupId,
  };
});
