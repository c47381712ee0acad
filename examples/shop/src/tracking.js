// Storefront tracking: enriches the current visitor's User.com profile.
const API_KEY = window.SHOP_CONFIG.userComApiKey;

export function identify(customer) {
  // Correct: UE.pageHit switches tracking to the logged-in customer.
  UE.pageHit({ apiKey: API_KEY, user_id: customer.id, email: customer.email });
}

export function saveNewsletterChoice(optIn) {
  // Correct: client.update for the current user's own attributes.
  userengage("client.update", { newsletter_opt_in: optIn });
}

export function syncCustomer(customer) {
  // Wrong: user_id never switches users; browser_language is detected by the SDK.
  window.userengage("client.update", {
    user_id: customer.id,
    first_name: customer.firstName,
    browser_language: navigator.language,
  });
}

export function trackPurchase(order, customer) {
  // Correct: user_id is ordinary data in an event.
  userengage("event.purchase", { order_id: order.id, value: order.total, user_id: customer.id });
}
