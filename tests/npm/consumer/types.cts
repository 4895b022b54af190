// The same declarations seen from CommonJS (`require`).
import atlas = require("atlas-ldap");
import forms = require("atlas-ldap/validators");
const ok: boolean = atlas.validateGroupId("32b6e34b3d91647abb20e7b8").ok && forms.validateHostname("h").ok;
export = ok;
