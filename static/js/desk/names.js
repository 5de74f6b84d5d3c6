// The names this script shares with the server and the templates — element ids, the prefix
// of a highlight's anchor, event names — written once in claims/desk_names.py and rendered
// into the page as JSON (claims/desk/_desk_script.html). Only that element's id is spelled
// here.

const data = JSON.parse(document.getElementById("desk-names").textContent);

export const ids = data.ids;
export const events = data.events;
export const anchorPrefix = data.anchor;

export const byId = (id) => document.getElementById(id);
export const articleBody = () => byId(ids.body);
export const annotateForm = () => byId(ids.form);
export const popover = () => byId(ids.popover);
// Whether `element` is inside the article's text (events are delegated from the document).
export const inBody = (element) => Boolean(element && element.closest && element.closest(`#${ids.body}`));
