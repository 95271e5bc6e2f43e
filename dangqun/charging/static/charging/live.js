/* dangqun charging room: keep a room's slots fresh without moving the reader.
   Every data-poll-seconds the block asks data-live-url for a fresh copy of itself and puts
   in only the parts (data-live-part) that changed: the summary, the hold, each slot. It
   waits while keyboard focus or a pointer is inside the block, or the page is hidden, so a
   button being used is never replaced. What changed is said once, politely, through the
   block's role="status" line. Without JavaScript the page is the same, only not refreshed. */
(function () {
  "use strict";
  if (window.dqChargingLive) { return; }
  window.dqChargingLive = true;

  var MOST_SLOTS_SAID = 3;

  function busy(block) {
    return document.hidden || block.contains(document.activeElement) ||
      block.dataset.pointer === "in";
  }

  function parts(block) {
    return Array.prototype.slice.call(block.querySelectorAll("[data-live-part]"));
  }

  function keys(list) {
    return list.map(function (el) { return el.dataset.livePart; }).join(" ");
  }

  function looks(el) {
    // A part as the reader sees it: its markup less the per-response CSRF tokens.
    var copy = el.cloneNode(true);
    copy.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.remove();
    });
    return copy.outerHTML;
  }

  function text(el, selector) {
    var found = el.querySelector(selector);
    return found ? found.textContent.trim().replace(/\s+/g, " ") : "";
  }

  function say(block, changed, fresh) {
    var line = block.querySelector("[data-live-announce]");
    if (!line || !changed.length) { return; }
    var words = changed.length <= MOST_SLOTS_SAID ? changed.map(function (slot) {
      return text(slot, ".slot-name") + " " + text(slot, ".slot-state");
    }) : [];
    words.push(text(fresh, ".charging-summary"));
    line.textContent = words.join("; ");
  }

  function apply(block, fresh) {
    var mine = parts(block);
    var theirs = parts(fresh);
    if (keys(mine) !== keys(theirs)) {
      // Slots added or taken away: the block is rebuilt (nothing in it has focus).
      var copy = document.importNode(fresh, true);
      block.replaceWith(copy);
      watch(copy);
      return copy;
    }
    var changed = [];
    theirs.forEach(function (part, i) {
      if (looks(part) === looks(mine[i])) { return; }
      var copy = document.importNode(part, true);
      mine[i].replaceWith(copy);
      if (part.dataset.livePart.indexOf("slot-") === 0) { changed.push(copy); }
    });
    say(block, changed, fresh);
    return block;
  }

  function refresh(block, done) {
    if (busy(block)) { done(block); return; }
    fetch(block.dataset.liveUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (answer) {
        if (!answer.ok) { throw new Error(String(answer.status)); }
        return answer.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(block.id);
        // The reader may have come in while the answer travelled: then wait for the next.
        done(fresh && !busy(block) ? apply(block, fresh) : block);
      })
      .catch(function () { done(block); });
  }

  function watch(block) {
    var seconds = parseFloat(block.dataset.pollSeconds) || 15;
    block.addEventListener("pointerenter", function () { block.dataset.pointer = "in"; });
    block.addEventListener("pointerleave", function () { block.dataset.pointer = ""; });
    function tick() {
      if (!block.isConnected) { return; }  // replaced: its successor has its own timer
      // Turns counted, refreshed or waited, so a test can tell a turn has passed.
      block.dataset.liveTurns = String((parseInt(block.dataset.liveTurns, 10) || 0) + 1);
      refresh(block, function (current) {
        if (current === block) { window.setTimeout(tick, seconds * 1000); }
      });
    }
    window.setTimeout(tick, seconds * 1000);
  }

  function start() {
    document.querySelectorAll(".charging-room[data-live-url]").forEach(watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
