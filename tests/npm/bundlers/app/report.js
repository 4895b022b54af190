/** Runs a page's steps; puts what they returned, or the error that stopped them, in `window.result`. */
export async function report(steps) {
  let result;
  try {
    result = await steps();
  } catch (e) {
    result = { error: `${e?.name}: ${e?.message}` };
  }
  document.getElementById("output").textContent = JSON.stringify(result, null, 2);
  window.result = result;
}
