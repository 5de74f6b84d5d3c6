// The claim type-ahead: a WAI-ARIA combobox. Its suggestions are the options of a listbox;
// ArrowDown/ArrowUp move the active option (aria-activedescendant: the focus stays in the
// input, so typing goes on), Enter picks it. ArrowDown with no list asks for one (the claims
// with the widest reach before anything is typed). The status under the input says what
// saving would do; the server decides whether the typed text is an existing claim (its
// statement key, claims.models.statement_key), never this script.
import { gettext, interpolate, ngettext } from "./i18n.js";
import { byId, events } from "./names.js";

const optionsOf = (form) => Array.from(form.querySelectorAll(".suggestion"));

function activeOption(form) {
  const input = form.querySelector(".claim-input");
  const id = input && input.getAttribute("aria-activedescendant");
  return id ? byId(id) : null;
}

export function setActiveOption(form, option) {
  const input = form.querySelector(".claim-input");
  optionsOf(form).forEach((o) => {
    o.classList.toggle("is-active", o === option);
    o.setAttribute("aria-selected", String(o === option));
  });
  if (option) {
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" }); // inside the list, which scrolls
  } else {
    input.removeAttribute("aria-activedescendant");
  }
}

// New suggestions arrived (or the list was emptied): name the options, none active yet.
export function suggestionsChanged(form) {
  const input = form.querySelector(".claim-input");
  const list = form.querySelector(".suggestions");
  if (!input || !list) return;
  optionsOf(form).forEach((option, i) => {
    option.id = `${list.id}-${i}`;
  });
  input.setAttribute("aria-expanded", String(Boolean(list.querySelector("li"))));
  setActiveOption(form, null);
}

// ArrowDown/ArrowUp/Enter/Escape in a claim input; true when the key was used.
export function comboboxKey(event) {
  const input = event.target;
  const form = input.closest("form");
  if (!form) return false;
  const options = optionsOf(form);
  const active = activeOption(form);
  if (event.key === "Escape") {
    // An open list closes first (WAI-ARIA combobox); Esc again then leaves the form.
    if (!options.length) return false;
    const list = form.querySelector(".suggestions");
    list.replaceChildren();
    // An answer still on its way for this text must not open the list again.
    list.dataset.closedFor = input.value;
    htmx.trigger(input, "htmx:abort");
    suggestionsChanged(form);
    updateClaimStatus(form);
    return true;
  }
  if (event.key === "Enter") {
    if (!active) return false; // Enter without a chosen option submits the form
    chooseSuggestion(active);
    return true;
  }
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return false;
  if (!options.length) {
    if (event.key === "ArrowDown") {
      delete form.querySelector(".suggestions").dataset.closedFor; // asked for again
      htmx.trigger(input, events.suggest);
    }
    return true;
  }
  const at = options.indexOf(active);
  const step = event.key === "ArrowDown" ? 1 : -1;
  // From the input, Down goes to the first and Up to the last; they wrap around.
  const next = at < 0 ? (step > 0 ? 0 : options.length - 1) : (at + step + options.length) % options.length;
  setActiveOption(form, options[next]);
  return true;
}

// The server's answer for exactly the text in the input: the typed text is that claim
// (`data-for` is the text it was asked about). While the text differs, the answer is on
// its way (every change of the input asks again).
function exactFor(form, input) {
  const option = form.querySelector(".suggestion.is-exact");
  if (!option) return null;
  return option.dataset.for === input.value ? option : undefined;
}

// An honest status: a half-typed text is not called a new claim while claims match it.
// `typing`: the input just changed; with an answer about the text before it pending, the
// status waits for the new one rather than saying something else meanwhile.
export function updateClaimStatus(form, { typing = false } = {}) {
  const input = form.querySelector(".claim-input");
  const status = form.querySelector(".claim-status");
  const chosen = form.querySelector(".claim-id");
  if (!input || !status || !chosen) return;
  const typed = input.value.trim();
  const exact = exactFor(form, input);
  if (typing && !chosen.value && exact === undefined) return;
  if (chosen.value) {
    status.textContent = chosen.dataset.reach
      ? interpolate(gettext("Existing claim · %(reach)s"), { reach: chosen.dataset.reach })
      : gettext("Existing claim");
    status.className = "claim-status small is-existing";
  } else if (typed && exact) {
    status.textContent = interpolate(gettext("Existing claim: “%(typed)s” (saving reuses it)"), {
      typed,
    });
    status.className = "claim-status small is-existing";
  } else if (typed && optionsOf(form).length) {
    status.textContent = gettext(
      "Pick a matching claim below, or keep typing to create a new claim.",
    );
    status.className = "claim-status small";
  } else if (typed) {
    status.textContent = interpolate(gettext("New claim: “%(typed)s”"), { typed });
    status.className = "claim-status small is-new";
  } else {
    status.textContent = "";
    status.className = "claim-status small";
  }
}

// Near the length limit a counter shows; past it the claim is marked invalid (nothing is
// cut: the server refuses the save and says why, beside the Save button).
const COUNT_FROM = 0.8; // of the limit
export function updateClaimCount(form) {
  const input = form.querySelector(".claim-input");
  const count = form.querySelector(".claim-count");
  if (!input || !count) return;
  const limit = Number(input.dataset.limit) || 0;
  const length = Array.from(input.value).length; // code points, as the server counts
  const over = limit > 0 && length > limit;
  count.hidden = !limit || length < limit * COUNT_FROM;
  count.textContent = count.hidden
    ? ""
    : over
      ? interpolate(
          ngettext(
            "%(length)s of %(limit)s characters: %(over)s too many. Shorten the claim to save it.",
            "%(length)s of %(limit)s characters: %(over)s too many. Shorten the claim to save it.",
            length - limit,
          ),
          { length, limit, over: length - limit },
        )
      : interpolate(
          ngettext("%(length)s of %(limit)s characters", "%(length)s of %(limit)s characters", limit),
          { length, limit },
        );
  count.classList.toggle("is-over", over);
  if (over) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

export function chooseSuggestion(option) {
  const form = option.closest("form");
  if (!form) return;
  const chosen = form.querySelector(".claim-id");
  const input = form.querySelector(".claim-input");
  chosen.value = option.dataset.claimId;
  chosen.dataset.reach = option.dataset.reach || "";
  chosen.dataset.statement = option.dataset.statement;
  input.value = option.dataset.statement;
  form.querySelector(".suggestions").replaceChildren();
  suggestionsChanged(form);
  updateClaimStatus(form);
  updateClaimCount(form);
  const stance = form.querySelector("input[name=stance]:checked") || form.querySelector("input[name=stance]");
  if (stance) stance.focus();
}

// The claim input changed: a chosen claim no longer typed is unchosen; the list is about to
// be replaced.
export function claimTyped(input) {
  const form = input.closest("form");
  const chosen = form.querySelector(".claim-id");
  if (chosen.value && input.value.trim() !== (chosen.dataset.statement || "").trim()) {
    chosen.value = "";
    chosen.dataset.reach = "";
  }
  setActiveOption(form, null);
  updateClaimStatus(form, { typing: true });
  updateClaimCount(form);
}

// Fields swapped in with a value (an edit form): say which claim the input names.
export function fieldsShown(form) {
  const chosen = form.querySelector(".claim-id");
  const input = form.querySelector(".claim-input");
  if (chosen && input && chosen.value) chosen.dataset.statement = input.value;
  updateClaimStatus(form);
  updateClaimCount(form);
}
