package sim

// PageText renders a simulator page's HTML as the lines a person reads
// (the scripted Browser shows the consent page this way).
func PageText(page string) string { return pageText(page) }
