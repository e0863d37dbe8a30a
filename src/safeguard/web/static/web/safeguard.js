/* After htmx swaps in a new screen, move keyboard and screen-reader focus to its error (if any) or its
   heading, as a full page load would announce it. Without JavaScript the forms post as plain HTML. */
document.addEventListener("htmx:afterSettle", function () {
  var target = document.querySelector("[role=alert]") || document.querySelector("main h1");
  if (target) {
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  }
});
