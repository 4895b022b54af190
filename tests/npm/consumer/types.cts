// The same declarations seen from CommonJS (`require`).
import atlas = require("atlas-ldap");
const ok: boolean = atlas.validateGroupId("32b6e34b3d91647abb20e7b8").ok;
export = ok;
