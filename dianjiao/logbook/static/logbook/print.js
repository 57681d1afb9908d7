// The print button (a file of its own: the CSP allows no inline handlers).
document.getElementById("print-button")?.addEventListener("click", () => window.print());
