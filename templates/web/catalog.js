/* The catalog's search: progressive enhancement. Without it every topic is listed and the index
   names each topic by its short names too; with it, a box filters the list as staff type. A topic
   matches when every typed word starts one of its names' words ("AD", "dysre", "heterotopic oss"). */
(function () {
  "use strict";
  var form = document.querySelector("[data-finder]");
  if (!form || !("hidden" in form)) { return; }
  var input = form.querySelector("input");
  var count = form.querySelector("[role=status]");
  var topics = Array.prototype.slice.call(document.querySelectorAll("[data-names]"));
  var index = document.querySelector(".name-index");  /* every name: beside a search's answer, only noise */

  function matches(names, words) {
    var tokens = names.split(/[\s\-]+/);
    return words.every(function (word) {
      return tokens.some(function (token) { return token.indexOf(word) === 0; });
    });
  }

  function filter() {
    var words = input.value.toLowerCase().split(/[\s\-]+/).filter(Boolean);
    var shown = 0;
    topics.forEach(function (topic) {
      var hit = words.length === 0 || matches(topic.getAttribute("data-names"), words);
      topic.hidden = !hit;
      if (hit) { shown += 1; }
    });
    if (index) { index.hidden = words.length > 0; }
    count.textContent = words.length === 0 ? "" : shown + (shown === 1 ? " topic found" : " topics found");
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  input.addEventListener("input", filter);
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) { input.value = asked; }
  filter();
}());
