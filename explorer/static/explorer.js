// Boots GraphiQL on the explorer page. Kept out of the HTML so the page's Content-Security-Policy
// can forbid inline scripts; the example operations come from the page's JSON block, which the
// service renders from explorer/operations.py (one source for the page, its tests and the docs).
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("tg-examples").textContent);
  var endpoint = new URL(window.location.pathname, window.location.origin);
  var socket = new URL(endpoint);
  socket.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

  // GraphiQL 3.8 opens its first tab without that tab's variables: hand them over on a first
  // visit only, because a returning visitor's saved tabs take precedence over the examples.
  var firstVisit = true;
  try {
    firstVisit = window.localStorage.getItem("graphiql:tabState") === null;
  } catch (storageDisabled) {
    firstVisit = true;
  }

  var fetcher = GraphiQL.createFetcher({
    url: endpoint.toString(),
    subscriptionUrl: socket.toString(),
  });

  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: examples,
      variables: firstVisit ? examples[0].variables : undefined,
      defaultEditorToolsVisibility: "variables",
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      inputValueDeprecation: true,
    })
  );
})();
