// Timetable pages: the editor's mouse and keyboard, printing, and the
// editor's view switch. Pages work without it: every action also has a
// plain form. No inline scripts (CSP). Messages come from data attributes,
// written by the templates in the reader's language.
(function () {
  "use strict";

  document.documentElement.classList.add("tt-js");

  var held = null; // {entry: id} or {line: id}, with its label
  var lastSlot = null; // the cell focused when an edit was sent

  function editor() {
    return document.getElementById("tt-editor");
  }

  function say(text) {
    var live = document.querySelector("#tt-editor .tt-live");
    if (live) {
      live.textContent = text;
    }
  }

  function message(name, lesson) {
    var root = editor();
    var text = (root && root.getAttribute("data-msg-" + name)) || "";
    return text.replace("%(lesson)s", lesson || "");
  }

  function cells() {
    return Array.prototype.slice.call(
      document.querySelectorAll("#tt-editor .tt-grid--edit .tt-cell")
    );
  }

  function focusCell(cell) {
    if (!cell) {
      return;
    }
    cells().forEach(function (other) {
      other.setAttribute("tabindex", "-1");
    });
    cell.setAttribute("tabindex", "0");
    cell.focus();
  }

  function release() {
    document.querySelectorAll(".tt-card.is-held").forEach(function (card) {
      card.classList.remove("is-held");
    });
    var root = editor();
    if (root) {
      root.classList.remove("is-holding");
    }
    held = null;
  }

  function hold(card) {
    release();
    if (card.hasAttribute("data-entry")) {
      held = { entry: card.getAttribute("data-entry") };
    } else {
      held = { line: card.getAttribute("data-line") };
    }
    held.label = card.getAttribute("data-label") || "";
    card.classList.add("is-held");
    editor().classList.add("is-holding");
    say(message("picked", held.label));
  }

  function send(values, slot) {
    var form = document.getElementById("tt-action");
    if (!form) {
      return;
    }
    ["action", "entry", "other", "line", "slot"].forEach(function (name) {
      form.elements[name].value = values[name] || "";
    });
    lastSlot = slot || null;
    release();
    say(message("sending"));
    editor().classList.add("is-busy");
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  function dropOnCell(cell, onCard, swap) {
    if (!held) {
      return;
    }
    var slot = cell.getAttribute("data-slot");
    if (held.line) {
      send({ action: "place", line: held.line, slot: slot }, slot);
      return;
    }
    var target = onCard;
    if (!target && swap) {
      target = cell.querySelector(".tt-card[data-entry]");
    }
    if (target && target.getAttribute("data-entry") !== held.entry) {
      send(
        { action: "swap", entry: held.entry, other: target.getAttribute("data-entry") },
        slot
      );
    } else if (!target) {
      send({ action: "move", entry: held.entry, slot: slot }, slot);
    } else {
      release();
    }
  }

  function removeHeld(slot) {
    if (held && held.entry) {
      send({ action: "remove", entry: held.entry }, slot);
    } else {
      release();
    }
  }

  // Keyboard

  function neighbour(cell, dx, dy) {
    var row = cell.parentElement;
    var column = Array.prototype.indexOf.call(row.children, cell);
    if (dy) {
      var rows = Array.prototype.slice.call(row.parentElement.children);
      var next = rows[rows.indexOf(row) + dy];
      return next ? next.children[column] : null;
    }
    var sibling = row.children[column + dx];
    return sibling && sibling.classList.contains("tt-cell") ? sibling : null;
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target.closest || !target.closest("#tt-editor")) {
      return;
    }
    if (target.classList.contains("tt-card--tray")) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        hold(target);
        var start = document.querySelector("#tt-editor .tt-cell[tabindex='0']") || cells()[0];
        focusCell(start);
      }
      return;
    }
    if (!target.classList.contains("tt-cell")) {
      return;
    }
    var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (moves[event.key]) {
      event.preventDefault();
      var next = neighbour(target, moves[event.key][0], moves[event.key][1]);
      if (next) {
        focusCell(next);
      }
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (held) {
        dropOnCell(target, null, event.shiftKey);
      } else {
        var card = target.querySelector(".tt-card[data-entry]");
        if (card) {
          hold(card);
        } else {
          say(message("empty"));
        }
      }
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      if (!held) {
        var first = target.querySelector(".tt-card[data-entry]");
        if (first) {
          hold(first);
        }
      }
      removeHeld(target.getAttribute("data-slot"));
    } else if (event.key === "Escape" && held) {
      event.preventDefault();
      release();
      say(message("cancelled"));
    }
  });

  // Mouse: clicks pick up and put down too, for touch screens.

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest || target.closest("a, button, input, select")) {
      return;
    }
    var cell = target.closest("#tt-editor .tt-grid--edit .tt-cell");
    var card = target.closest("#tt-editor .tt-card[draggable='true']");
    if (cell) {
      focusCell(cell);
    }
    if (held && cell) {
      dropOnCell(cell, card, false);
    } else if (card) {
      hold(card);
    } else if (held && target.closest("#tt-editor [data-drop='remove']")) {
      removeHeld(null);
    }
  });

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("#tt-editor .tt-card[draggable='true']");
    if (!card) {
      return;
    }
    hold(card);
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", held.label);
  });

  document.addEventListener("dragend", function () {
    document.querySelectorAll(".is-over").forEach(function (item) {
      item.classList.remove("is-over");
    });
  });

  function dropZone(target) {
    return (
      target.closest &&
      (target.closest("#tt-editor .tt-grid--edit .tt-cell") ||
        target.closest("#tt-editor [data-drop='remove']"))
    );
  }

  document.addEventListener("dragover", function (event) {
    var zone = dropZone(event.target);
    if (zone && held) {
      event.preventDefault();
      document.querySelectorAll(".is-over").forEach(function (item) {
        if (item !== zone) {
          item.classList.remove("is-over");
        }
      });
      zone.classList.add("is-over");
    }
  });

  document.addEventListener("drop", function (event) {
    var zone = dropZone(event.target);
    if (!zone || !held) {
      return;
    }
    event.preventDefault();
    zone.classList.remove("is-over");
    if (zone.getAttribute("data-drop") === "remove") {
      removeHeld(null);
    } else {
      dropOnCell(zone, event.target.closest(".tt-card[data-entry]"), false);
    }
  });

  // After each edit the server sends the editor back: focus returns to the
  // cell that had it, or to the lesson the server points at.

  function restoreFocus() {
    var root = editor();
    if (!root) {
      return;
    }
    var cell = null;
    if (lastSlot) {
      cell = root.querySelector(".tt-cell[data-slot='" + lastSlot + "']");
    }
    var focus = root.getAttribute("data-focus");
    if (!cell && focus) {
      var card = document.getElementById("entry-" + focus);
      cell = card && card.closest(".tt-cell");
    }
    if (cell) {
      focusCell(cell);
    } else if (cells().length) {
      cells()[0].setAttribute("tabindex", "0");
    }
    lastSlot = null;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "tt-editor") {
      restoreFocus();
    }
  });
  document.addEventListener("htmx:responseError", function () {
    var root = editor();
    if (root) {
      root.classList.remove("is-busy");
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    restoreFocus();
    if (!document.querySelector("#tt-editor .tt-cell[tabindex='0']") && cells().length) {
      cells()[0].setAttribute("tabindex", "0");
    }
  });

  // Choosing a class, teacher or room shows its grid at once.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.hasAttribute || !select.hasAttribute("data-autosubmit")) {
      return;
    }
    var form = select.form;
    form.querySelectorAll("select[data-autosubmit]").forEach(function (other) {
      if (other !== select) {
        other.value = "";
      }
    });
    form.submit();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
