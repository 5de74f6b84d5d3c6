// The desk's safety net for typed work (docs/architecture.md, "The desk in the browser").
//
// 1. A session that ended: the server answers an htmx request with 401 and the
//    "session-ended" event (factcheck.middleware.session_ended), swapping nothing, so the
//    form keeps what was typed. This shows the #session-ended dialog: sign in again in a new
//    tab, come back, press "Back to my work" (which takes the new CSRF token from its cookie)
//    and save again.
// 2. Drafts: every form marked data-keep-draft keeps its text fields in localStorage as they
//    are typed, restores them when the page is opened again (after a sign-in, a closed tab, a
//    crash), and forgets them once the form is saved. Signing out forgets every draft.

const DRAFT = "factcheck-draft:";
const dialog = document.getElementById("session-ended");

function csrfFromCookie() {
  const found = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return found ? decodeURIComponent(found.slice("csrftoken=".length)) : "";
}

function renewToken() {
  const token = csrfFromCookie();
  if (!token) return;
  document.body.setAttribute("data-hx-headers", JSON.stringify({ "X-CSRFToken": token }));
  for (const input of document.querySelectorAll('input[name="csrfmiddlewaretoken"]')) {
    input.value = token;
  }
}

if (dialog) {
  document.body.addEventListener("session-ended", (event) => {
    const message = event.detail && event.detail.message;
    if (message) dialog.querySelector("[data-session-message]").textContent = message;
    if (!dialog.open) dialog.showModal();
  });
  dialog.querySelector("[data-session-back]").addEventListener("click", () => {
    renewToken();
    dialog.close();
  });
}

// ------------------------------------------------------------------------------- drafts
//
// A plain (non-htmx) form's draft is marked "sent" when it is submitted. The next page tells
// whether the post reached the desk: a signed-in page means it did (saved, or drawn again
// with its errors and the text the server kept), so the draft is dropped; the sign-in page
// means the session had ended and the post was refused, so the draft is kept for the return.

const signedIn = document.body.hasAttribute("data-hx-headers");

function draftKey(form) {
  return DRAFT + location.pathname + "#" + (form.getAttribute("action") || form.id || "");
}

function fields(form) {
  return [...form.querySelectorAll("textarea, input[type=text], input[type=url], select")].filter(
    (field) => field.name && field.name !== "csrfmiddlewaretoken",
  );
}

function keyed(form) {
  const seen = {};
  return fields(form).map((field) => {
    seen[field.name] = (seen[field.name] || 0) + 1;
    return [field.name + "|" + seen[field.name], field];
  });
}

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || "null");
  } catch {
    return null;
  }
}

function write(key, draft) {
  try {
    if (draft) localStorage.setItem(key, JSON.stringify(draft));
    else localStorage.removeItem(key);
  } catch {
    // Storage full or refused (a private window): the form itself still holds the text.
  }
}

function draftSave(form, sent = false) {
  const values = Object.fromEntries(keyed(form).map(([key, field]) => [key, field.value]));
  const typed = fields(form).some((f) => f.tagName === "TEXTAREA" && f.value.trim());
  write(draftKey(form), typed ? { values, sent } : null);
}

function draftRestore(form) {
  const draft = read(draftKey(form));
  if (!draft) return;
  const shown = fields(form).some((f) => f.tagName === "TEXTAREA" && f.value.trim());
  if (shown) return; // the server drew the form with text of its own: it wins
  for (const [key, field] of keyed(form)) {
    if (key in draft.values) field.value = draft.values[key];
  }
  const note = form.querySelector("[data-draft-note]");
  if (note) note.hidden = false;
}

function watch(root) {
  const forms = root.matches && root.matches("form[data-keep-draft]") ? [root] : [];
  forms.push(...root.querySelectorAll("form[data-keep-draft]"));
  for (const form of forms) {
    if (form.dataset.draftWatched) continue;
    form.dataset.draftWatched = "1";
    draftRestore(form);
    form.addEventListener("input", () => draftSave(form));
    form.addEventListener("submit", () => {
      if (!form.hasAttribute("data-hx-post")) draftSave(form, true);
    });
  }
}

function settleSentDrafts() {
  try {
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith(DRAFT)) continue;
      const draft = read(key);
      if (draft && draft.sent) write(key, signedIn ? null : { ...draft, sent: false });
    }
  } catch {
    // nothing kept
  }
}

document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt.closest && event.detail.elt.closest("form[data-keep-draft]");
  if (form && event.detail.successful) write(draftKey(form), null);
});
document.addEventListener("htmx:load", (event) => watch(event.detail.elt));

for (const signOut of document.querySelectorAll("form[data-sign-out]")) {
  signOut.addEventListener("submit", () => {
    try {
      for (const key of Object.keys(localStorage)) {
        if (key.startsWith(DRAFT)) localStorage.removeItem(key);
      }
    } catch {
      // nothing kept
    }
  });
}

settleSentDrafts();
watch(document);
