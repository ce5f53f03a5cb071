// A finding's network picture: Cytoscape.js draws the members and the records joining them
// from the page's own JSON. It adds nothing the tables below it do not say: without
// JavaScript, or for a screen reader, the tables are the picture.
const data = JSON.parse(document.getElementById("network-data").textContent);
const box = document.getElementById("network");
const colours = {
  "adult": "#d4351c",
  "at-risk child": "#1d70b8",
  "child of concern": "#5694ca",
  "missing child": "#5694ca",
  "object": "#505a5f",
  "vehicle": "#505a5f",
  "phone": "#505a5f",
  "place": "#00703c",
};

// Cytoscape adds a <style> element for its container unless one with this id is already
// there; the hub's Content Security Policy refuses inline styles, and the hub's own stylesheet
// already positions the container (.sg-network), so a marker stands in for it.
const CYTOSCAPE_STYLE = "__________cytoscape_stylesheet";

if (window.cytoscape && box && data.nodes.length) {
  if (!document.getElementById(CYTOSCAPE_STYLE)) {
    const marker = document.createElement("meta");
    marker.id = CYTOSCAPE_STYLE;
    document.head.append(marker);
  }
  box.hidden = false;
  const elements = [
    ...data.nodes.map((n) => ({ data: { id: n.id, label: n.label, colour: colours[n.role] || "#6f777b" } })),
    ...data.edges.map((e, i) => ({ data: { id: `e${i}`, source: e.from, target: e.to, label: e.relation.replaceAll("_", " ") } })),
  ];
  window.cytoscape({
    container: box,
    elements,
    layout: { name: "cose", animate: false, padding: 20 },
    style: [
      { selector: "node", style: { "background-color": "data(colour)", label: "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 4 } },
      { selector: "edge", style: { width: 2, "line-color": "#b1b4b6", "curve-style": "bezier", label: "data(label)", "font-size": 9, "text-rotation": "autorotate", color: "#505a5f" } },
    ],
    wheelSensitivity: 0.2,
  });
}
