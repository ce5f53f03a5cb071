// The public's pages: the Escape key leaves at once, as the Exit this page button does
// (GOV.UK Frontend's component already leaves on Shift pressed three times).
const exit = document.getElementById("exit-this-page");
if (exit) {
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      document.body.style.display = "none";
      window.location.replace(exit.href);
    }
  });
}
