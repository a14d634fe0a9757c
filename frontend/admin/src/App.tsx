// The admin's frame. Inside the Shopify admin, Shopify draws the navigation (App Bridge's <ui-nav-menu>) and
// the page is only content; elsewhere (WooCommerce, the local demo) a Polaris Frame draws the same navigation.
import { Frame, Navigation, SkeletonPage, Layout, Card, SkeletonBodyText } from "@shopify/polaris";
import { ChartVerticalIcon, DeliveryIcon, EmailIcon, HomeIcon, SettingsIcon, StarIcon } from "@shopify/polaris-icons";
import { lazy, Suspense, type ReactNode } from "react";
import { boot } from "./boot";
import { t } from "./i18n";
import { navigate, pathFor, useLocation, type Route } from "./router";
import { ToastProvider } from "./toast";
import Home from "./pages/Home";

// Each page is its own chunk, so the first paint waits only for the page asked for (the charts are the heaviest).
const PAGES: Record<Route, React.ComponentType | React.LazyExoticComponent<React.ComponentType>> = {
  home: Home,
  dashboard: lazy(() => import("./pages/Dashboard")),
  shipments: lazy(() => import("./pages/Shipments")),
  notifications: lazy(() => import("./pages/Notifications")),
  surveys: lazy(() => import("./pages/Surveys")),
  settings: lazy(() => import("./pages/Settings")),
};

const ICONS = { home: HomeIcon, dashboard: ChartVerticalIcon, shipments: DeliveryIcon, notifications: EmailIcon,
  surveys: StarIcon, settings: SettingsIcon };

function PageSkeleton() {
  return (
    <SkeletonPage primaryAction>
      <Layout>
        <Layout.Section>
          <Card>
            <SkeletonBodyText lines={6} />
          </Card>
        </Layout.Section>
      </Layout>
    </SkeletonPage>
  );
}

function EmbeddedNav() {
  const routes = (Object.keys(ICONS) as Route[]).filter((route) => route !== "home");
  return (
    <ui-nav-menu>
      <a href={pathFor("home")} rel="home">{t("nav.home")}</a>
      {routes.map((route) => (
        <a key={route} href={pathFor(route)}>{t(`nav.${route}`)}</a>
      ))}
    </ui-nav-menu>
  );
}

function SessionFrame({ route, children }: { route: Route; children: ReactNode }) {
  const items = (Object.keys(ICONS) as Route[]).map((name) => ({
    label: t(`nav.${name}`),
    icon: ICONS[name],
    url: pathFor(name),
    selected: route === name,
    onClick: () => navigate(pathFor(name)),
  }));
  const navigation = (
    <Navigation location={pathFor(route)} ariaLabelledBy="afterglow-nav-title">
      <span id="afterglow-nav-title" hidden>{boot.shop.name || boot.shop.domain}</span>
      <Navigation.Section title={boot.shop.name || boot.shop.domain} items={items} />
    </Navigation>
  );
  return <Frame navigation={navigation} skipToContentTarget={undefined}>{children}</Frame>;
}

export default function App() {
  const { route } = useLocation();
  const Page = PAGES[route];
  const content = (
    <ToastProvider>
      <Suspense fallback={<PageSkeleton />}>
        <Page />
      </Suspense>
    </ToastProvider>
  );
  if (boot.mode === "embedded") {
    return (
      <>
        <EmbeddedNav />
        {content}
      </>
    );
  }
  return <SessionFrame route={route}>{content}</SessionFrame>;
}
