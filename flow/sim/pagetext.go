package sim

// PageText renders a simulator page's HTML as the lines a person reads
// (the demo shows the consent page this way when no browser is at hand).
func PageText(page string) string { return pageText(page) }
