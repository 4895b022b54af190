// A two-page webpack app with html-webpack-plugin, the way most webpack apps make their HTML.
const HtmlWebpackPlugin = require("html-webpack-plugin");
const path = require("node:path");

const page = (name, title) =>
  new HtmlWebpackPlugin({ filename: `${name}.html`, chunks: [name], title, templateContent: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><pre id="output">running…</pre></body></html>` });

module.exports = {
  entry: { index: "./src/console.js", validators: "./src/validators.js" },
  output: { path: path.resolve(__dirname, "dist"), filename: "[name].[contenthash].js", clean: true },
  plugins: [page("index", "atlas-ldap in a webpack app"), page("validators", "atlas-ldap/validators in a webpack app")],
};
