// Start GOV.UK Frontend's components (a module script: CSP allows scripts from this origin only).
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();
