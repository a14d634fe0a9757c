// Strings per locale. Dates, times and money are formatted by Intl in the same locale.
export type Strings = {
  title: string; number: string; email: string; postal: string; usePostal: string; useEmail: string;
  find: string; loading: string; notFound: string; rateLimited: string; error: string; order: string;
  parcel: string; of: string; trackAt: string; expected: string; between: string; delivered: string;
  items: string; notShipped: string; history: string; showAll: string; noScans: string; delay: string; again: string;
  nps: string; ces: string; npsLow: string; npsHigh: string; cesLow: string; cesHigh: string; thanks: string;
  comment: string; send: string; like: string;
  steps: [string, string, string, string, string];
  status: Record<string, string>;
  delays: Record<string, string>;
};

const en: Strings = {
  title: "Track your order", number: "Order number", email: "Email address", postal: "Postal code",
  usePostal: "Use postal code instead", useEmail: "Use email instead", find: "Track", loading: "Looking up your order…",
  notFound: "We could not find an order with that number and email address. Please check both and try again.",
  rateLimited: "Too many attempts. Please try again in {s} seconds.", error: "Something went wrong. Please try again.",
  order: "Order {n}", parcel: "Parcel {i} of {n}", of: "of", trackAt: "Track on {c}", expected: "Expected {d}",
  between: "Expected between {a} and {b}", delivered: "Delivered {d}", items: "In this parcel",
  notShipped: "Not shipped yet", history: "Tracking history", showAll: "Show all {n} updates", noScans: "No updates from the carrier yet.",
  delay: "Running late", again: "Track another order",
  nps: "How likely are you to recommend {shop} to a friend?", ces: "How easy was it to get your order?",
  npsLow: "Not likely", npsHigh: "Very likely", cesLow: "Very hard", cesHigh: "Very easy",
  thanks: "Thank you for your answer!", comment: "Anything you would like to tell us? (optional)", send: "Send",
  like: "You may also like",
  steps: ["Ordered", "Shipped", "In transit", "Out for delivery", "Delivered"],
  status: {
    pending: "Preparing", info_received: "Label created", in_transit: "In transit", out_for_delivery: "Out for delivery",
    available_for_pickup: "Ready for pickup", attempt_failed: "Delivery attempt failed", exception: "Delivery problem",
    delivered: "Delivered", returning_to_sender: "Returning to sender", returned: "Returned to sender",
    cancelled: "Cancelled", expired: "No recent updates", unknown: "Status unknown",
  },
  delays: {
    not_picked_up: "The carrier has not collected your parcel yet.",
    stalled: "Your parcel has not moved for a while. We are keeping an eye on it.",
    out_for_delivery_not_delivered: "Your parcel was out for delivery but did not arrive. It should come on the next delivery day.",
    late: "Your parcel is later than we promised.",
    estimate_slipped: "Your parcel is running late. We have updated the expected delivery date.",
  },
};

const de: Strings = {
  ...en, title: "Bestellung verfolgen", number: "Bestellnummer", email: "E-Mail-Adresse", postal: "Postleitzahl",
  usePostal: "Stattdessen Postleitzahl verwenden", useEmail: "Stattdessen E-Mail verwenden", find: "Verfolgen",
  loading: "Bestellung wird gesucht…",
  notFound: "Wir konnten keine Bestellung mit dieser Nummer und E-Mail-Adresse finden. Bitte prüfen Sie beides.",
  rateLimited: "Zu viele Versuche. Bitte versuchen Sie es in {s} Sekunden erneut.",
  error: "Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.", order: "Bestellung {n}",
  parcel: "Paket {i} von {n}", of: "von", trackAt: "Bei {c} verfolgen", expected: "Voraussichtlich {d}",
  between: "Voraussichtlich zwischen {a} und {b}", delivered: "Zugestellt {d}", items: "In diesem Paket",
  notShipped: "Noch nicht versandt", history: "Sendungsverlauf", showAll: "Alle {n} Meldungen anzeigen", noScans: "Noch keine Meldungen vom Versanddienst.",
  delay: "Verspätet", again: "Andere Bestellung verfolgen",
  nps: "Wie wahrscheinlich ist es, dass Sie {shop} weiterempfehlen?", ces: "Wie einfach war es, Ihre Bestellung zu erhalten?",
  npsLow: "Unwahrscheinlich", npsHigh: "Sehr wahrscheinlich", cesLow: "Sehr schwer", cesHigh: "Sehr einfach",
  thanks: "Vielen Dank für Ihre Antwort!", comment: "Möchten Sie uns noch etwas sagen? (optional)", send: "Senden",
  like: "Das könnte Ihnen auch gefallen",
  delays: {
    not_picked_up: "Der Versanddienst hat Ihr Paket noch nicht abgeholt.",
    stalled: "Ihr Paket hat sich eine Weile nicht bewegt. Wir behalten es im Blick.",
    out_for_delivery_not_delivered: "Ihr Paket war in Zustellung, kam aber nicht an. Es sollte am nächsten Zustelltag kommen.",
    late: "Ihr Paket ist später als versprochen.",
    estimate_slipped: "Ihr Paket verspätet sich. Wir haben das voraussichtliche Lieferdatum aktualisiert.",
  },
  steps: ["Bestellt", "Versandt", "Unterwegs", "In Zustellung", "Zugestellt"],
  status: {
    pending: "In Vorbereitung", info_received: "Versandetikett erstellt", in_transit: "Unterwegs",
    out_for_delivery: "In Zustellung", available_for_pickup: "Abholbereit", attempt_failed: "Zustellversuch gescheitert",
    exception: "Zustellproblem", delivered: "Zugestellt", returning_to_sender: "Rücksendung an Absender",
    returned: "An Absender zurückgesandt", cancelled: "Storniert", expired: "Keine aktuellen Meldungen",
    unknown: "Status unbekannt",
  },
};

const fr: Strings = {
  ...en, title: "Suivre ma commande", number: "Numéro de commande", email: "Adresse e-mail", postal: "Code postal",
  usePostal: "Utiliser le code postal", useEmail: "Utiliser l’e-mail", find: "Suivre", loading: "Recherche de votre commande…",
  notFound: "Nous n’avons trouvé aucune commande avec ce numéro et cette adresse e-mail. Vérifiez-les et réessayez.",
  rateLimited: "Trop de tentatives. Réessayez dans {s} secondes.", error: "Une erreur est survenue. Veuillez réessayer.",
  order: "Commande {n}", parcel: "Colis {i} sur {n}", of: "sur", trackAt: "Suivre chez {c}", expected: "Prévu {d}",
  between: "Prévu entre {a} et {b}", delivered: "Livré {d}", items: "Dans ce colis", notShipped: "Pas encore expédié",
  history: "Historique de suivi", showAll: "Afficher les {n} étapes", noScans: "Aucune information du transporteur pour l’instant.", delay: "En retard",
  again: "Suivre une autre commande",
  nps: "Quelle est la probabilité que vous recommandiez {shop} à un ami ?", ces: "Était-il facile de recevoir votre commande ?",
  npsLow: "Peu probable", npsHigh: "Très probable", cesLow: "Très difficile", cesHigh: "Très facile",
  thanks: "Merci pour votre réponse !", comment: "Souhaitez-vous nous dire autre chose ? (facultatif)", send: "Envoyer",
  like: "Vous aimerez aussi",
  delays: {
    not_picked_up: "Le transporteur n’a pas encore pris en charge votre colis.",
    stalled: "Votre colis n’a pas bougé depuis un moment. Nous le surveillons.",
    out_for_delivery_not_delivered: "Votre colis était en cours de livraison mais n’est pas arrivé. Il devrait arriver au prochain jour de livraison.",
    late: "Votre colis arrive plus tard que prévu.",
    estimate_slipped: "Votre colis a du retard. Nous avons mis à jour la date de livraison prévue.",
  },
  steps: ["Commandé", "Expédié", "En transit", "En cours de livraison", "Livré"],
  status: {
    pending: "En préparation", info_received: "Étiquette créée", in_transit: "En transit",
    out_for_delivery: "En cours de livraison", available_for_pickup: "Disponible au retrait",
    attempt_failed: "Échec de livraison", exception: "Problème de livraison", delivered: "Livré",
    returning_to_sender: "Retour à l’expéditeur", returned: "Retourné à l’expéditeur", cancelled: "Annulé",
    expired: "Pas de mise à jour récente", unknown: "Statut inconnu",
  },
};

const es: Strings = {
  ...en, title: "Seguir mi pedido", number: "Número de pedido", email: "Correo electrónico", postal: "Código postal",
  usePostal: "Usar el código postal", useEmail: "Usar el correo electrónico", find: "Seguir", loading: "Buscando tu pedido…",
  notFound: "No encontramos ningún pedido con ese número y correo electrónico. Revisa ambos e inténtalo de nuevo.",
  rateLimited: "Demasiados intentos. Inténtalo de nuevo en {s} segundos.", error: "Algo salió mal. Inténtalo de nuevo.",
  order: "Pedido {n}", parcel: "Paquete {i} de {n}", of: "de", trackAt: "Seguir en {c}", expected: "Llega {d}",
  between: "Llega entre {a} y {b}", delivered: "Entregado {d}", items: "En este paquete", notShipped: "Aún no enviado",
  history: "Historial de seguimiento", showAll: "Ver las {n} novedades", noScans: "Aún no hay novedades del transportista.", delay: "Con retraso",
  again: "Seguir otro pedido",
  nps: "¿Qué probabilidad hay de que recomiendes {shop} a un amigo?", ces: "¿Qué tan fácil fue recibir tu pedido?",
  npsLow: "Poco probable", npsHigh: "Muy probable", cesLow: "Muy difícil", cesHigh: "Muy fácil",
  thanks: "¡Gracias por tu respuesta!", comment: "¿Algo más que quieras contarnos? (opcional)", send: "Enviar",
  like: "También te puede gustar",
  delays: {
    not_picked_up: "El transportista aún no ha recogido tu paquete.",
    stalled: "Tu paquete lleva un tiempo sin moverse. Lo estamos vigilando.",
    out_for_delivery_not_delivered: "Tu paquete salió a reparto pero no llegó. Debería llegar el próximo día de reparto.",
    late: "Tu paquete llega más tarde de lo prometido.",
    estimate_slipped: "Tu paquete se retrasa. Hemos actualizado la fecha de entrega prevista.",
  },
  steps: ["Pedido", "Enviado", "En tránsito", "En reparto", "Entregado"],
  status: {
    pending: "En preparación", info_received: "Etiqueta creada", in_transit: "En tránsito", out_for_delivery: "En reparto",
    available_for_pickup: "Listo para recoger", attempt_failed: "Intento de entrega fallido",
    exception: "Incidencia en la entrega", delivered: "Entregado", returning_to_sender: "Volviendo al remitente",
    returned: "Devuelto al remitente", cancelled: "Cancelado", expired: "Sin novedades recientes",
    unknown: "Estado desconocido",
  },
};

const nl: Strings = {
  ...en, title: "Bestelling volgen", number: "Bestelnummer", email: "E-mailadres", postal: "Postcode",
  usePostal: "Postcode gebruiken", useEmail: "E-mailadres gebruiken", find: "Volgen", loading: "Je bestelling wordt gezocht…",
  notFound: "We konden geen bestelling vinden met dit nummer en e-mailadres. Controleer beide en probeer het opnieuw.",
  rateLimited: "Te veel pogingen. Probeer het over {s} seconden opnieuw.", error: "Er ging iets mis. Probeer het opnieuw.",
  order: "Bestelling {n}", parcel: "Pakket {i} van {n}", of: "van", trackAt: "Volgen bij {c}", expected: "Verwacht {d}",
  between: "Verwacht tussen {a} en {b}", delivered: "Bezorgd {d}", items: "In dit pakket",
  notShipped: "Nog niet verzonden", history: "Verzendgeschiedenis", showAll: "Alle {n} updates tonen", noScans: "Nog geen updates van de vervoerder.",
  delay: "Vertraagd", again: "Andere bestelling volgen",
  nps: "Hoe waarschijnlijk is het dat je {shop} aanbeveelt aan een vriend?", ces: "Hoe makkelijk was het om je bestelling te ontvangen?",
  npsLow: "Niet waarschijnlijk", npsHigh: "Zeer waarschijnlijk", cesLow: "Heel moeilijk", cesHigh: "Heel makkelijk",
  thanks: "Bedankt voor je antwoord!", comment: "Wil je ons nog iets vertellen? (optioneel)", send: "Versturen",
  like: "Misschien vind je dit ook leuk",
  delays: {
    not_picked_up: "De vervoerder heeft je pakket nog niet opgehaald.",
    stalled: "Je pakket is al een tijdje niet verplaatst. We houden het in de gaten.",
    out_for_delivery_not_delivered: "Je pakket was onderweg voor bezorging maar is niet aangekomen. Het komt naar verwachting op de volgende bezorgdag.",
    late: "Je pakket is later dan beloofd.",
    estimate_slipped: "Je pakket heeft vertraging. We hebben de verwachte bezorgdatum bijgewerkt.",
  },
  steps: ["Besteld", "Verzonden", "Onderweg", "Wordt bezorgd", "Bezorgd"],
  status: {
    pending: "In voorbereiding", info_received: "Verzendlabel aangemaakt", in_transit: "Onderweg",
    out_for_delivery: "Wordt vandaag bezorgd", available_for_pickup: "Klaar om op te halen",
    attempt_failed: "Bezorgpoging mislukt", exception: "Bezorgprobleem", delivered: "Bezorgd",
    returning_to_sender: "Terug naar afzender", returned: "Teruggestuurd naar afzender", cancelled: "Geannuleerd",
    expired: "Geen recente updates", unknown: "Status onbekend",
  },
};

const LOCALES: Record<string, Strings> = { en, de, fr, es, nl };

export function pickLocale(wanted: string[]): string {
  for (const tag of wanted) {
    const base = (tag || "").toLowerCase().split(/[-_]/)[0];
    if (LOCALES[base]) return tag.replace("_", "-");
  }
  return "en";
}

export function strings(locale: string): Strings {
  return LOCALES[locale.toLowerCase().split("-")[0]] || en;
}

export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ""));
}
