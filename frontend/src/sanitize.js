// ``sanitize-html``'s call, answered by DOMPurify: the browser's own parser instead of htmlparser2 and
// postcss (a tenth of the size). ipywidgets' manager sanitizes HTML descriptions with it.
import DOMPurify from "dompurify";

export default function sanitize(html, options = {}) {
  const attributes = new Set();
  for (const names of Object.values(options.allowedAttributes || {})) {
    for (const name of names) if (!name.endsWith("*")) attributes.add(name);
  }
  return DOMPurify.sanitize(html, {
    ALLOWED_TAGS: options.allowedTags,
    ALLOWED_ATTR: Array.from(attributes),
    ALLOW_ARIA_ATTR: true,
    ALLOW_DATA_ATTR: false,
  });
}
