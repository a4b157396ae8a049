// The ask and edit pages' topic picker (templates/questions/_topic_picker.html).
// The list of choices is replaced by the answer to each request, and a
// request carries the ticks made before it was sent. A tick made while a
// request is on its way would be undone by its answer, so a tick cancels
// the requests on their way; the next one (after the next key press)
// carries it.
document.addEventListener("change", (event) => {
  if (!window.htmx || !event.target.closest("#topic-choices")) {
    return;
  }
  for (const id of ["topic-choices", "topic-find", "topic-finder"]) {
    const element = document.getElementById(id);
    if (element) {
      window.htmx.trigger(element, "htmx:abort");
    }
  }
});
