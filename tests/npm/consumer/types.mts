// Compiled with tsc --noEmit: the declarations give the typed signatures.
import { init, validateGroupId, SPEC_PATTERNS, type Validation, type FieldIssue } from "atlas-ldap";

await init();
const v: Validation = validateGroupId("32b6e34b3d91647abb20e7b8", { locale: "zh" });
const first: FieldIssue | undefined = v.issues[0];
const severity: "error" | "warning" | undefined = first?.severity;
const pattern: string = SPEC_PATTERNS.hostname;
// @ts-expect-error the value is a string
validateGroupId(42);
// @ts-expect-error only "en" and "zh"
validateGroupId("x", { locale: "fr" });
// The validators-only entry has the same signatures.
import * as forms from "atlas-ldap/validators";
const fromForms: forms.Validation = forms.validateUserSecurity({ ldap: { port: 636 } }, { locale: "en" });
// @ts-expect-error the validators entry has no client
forms.AtlasClient;
export { severity, pattern, fromForms };
