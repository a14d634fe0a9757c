// The admin's English strings. Another language is a file shaped like this one, added to `CATALOGS` in index.ts;
// keys are grouped by page so a translator sees each string's context.
export const en = {
  app: {
    name: "Afterglow",
    loading: "Loading",
    error: "Something went wrong. Reload the page to try again.",
    signedOut: "Your session has ended. Open Afterglow again from your store's admin.",
    saved: "Settings saved",
  },
  nav: {
    home: "Home",
    dashboard: "Dashboard",
    shipments: "Shipments",
    notifications: "Notifications",
    surveys: "Surveys",
    settings: "Settings",
  },
};

export type Catalog = typeof en;
