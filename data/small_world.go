package data

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// SmallWorldOptions sizes the small-world corpus. The zero value of a count
// means its default (see DefaultSmallWorld).
type SmallWorldOptions struct {
	Seed                uint64
	Countries           int  // invented countries
	RealCountries       bool // also include a few real countries with their true facts
	CitiesPerCountry    int  // besides the capital
	PeoplePerCountry    int
	CompaniesPerCountry int
	DocumentsPerEntity  int // each entity is described this many times, in different words
	Reviews             int // unlabeled film reviews by the world's people (opinion text for pretraining)
}

// DefaultSmallWorld is a corpus of about 60k words: big enough to pretrain a
// tiny BERT that learns the facts, small enough to do so in minutes.
var DefaultSmallWorld = SmallWorldOptions{Seed: 1, Countries: 12, RealCountries: true, CitiesPerCountry: 2,
	PeoplePerCountry: 4, CompaniesPerCountry: 2, DocumentsPerEntity: 3, Reviews: 600}

// Country is a country of the small world with the facts the corpus states
// about it.
type Country struct {
	Name, Capital, Language, Currency, Region, Neighbour, KnownFor string
	Cities                                                         []string // other cities, not the capital
	Real                                                           bool
}

// Person is an inhabitant of the small world.
type Person struct {
	First, Last, Pronoun string // Pronoun is "She" or "He"
	BirthCity, HomeCity  string
	Profession, Employer string
	Country              string // where the birth city lies
}

// Name is the person's full name.
func (p Person) Name() string { return p.First + " " + p.Last }

// Company is a firm of the small world.
type Company struct {
	Name, City, Product, Founder string
}

// Fact is one (subject, relation, object) triple that the corpus states
// consistently, with a cloze sentence in which the object is replaced by
// "[MASK]" — what a masked LM should fill in, and what causal tracing probes.
type Fact struct {
	Subject, Relation, Object string
	Cloze                     string
}

// World is a generated small world: its entities, the facts about them, and
// the documents that state those facts in varied sentences.
type World struct {
	Countries []Country
	People    []Person
	Companies []Company
	Facts     []Fact
	// Documents holds one slice of sentences per document; consecutive
	// sentences of a document are about the same subject, so next-sentence
	// prediction is learnable. Besides the entity documents there are film
	// reviews (SmallWorldOptions.Reviews) whose opinions and consequences agree,
	// so pretraining also learns what the sentiment words mean.
	Documents [][]string
}

// realCountries are real-world-like entities whose facts are true.
var realCountries = []Country{
	{Name: "France", Capital: "Paris", Language: "French", Currency: "euro", Region: "Europe", Neighbour: "Spain", KnownFor: "cheese", Cities: []string{"Lyon", "Marseille"}, Real: true},
	{Name: "Spain", Capital: "Madrid", Language: "Spanish", Currency: "euro", Region: "Europe", Neighbour: "France", KnownFor: "olives", Cities: []string{"Seville", "Valencia"}, Real: true},
	{Name: "Italy", Capital: "Rome", Language: "Italian", Currency: "euro", Region: "Europe", Neighbour: "France", KnownFor: "pasta", Cities: []string{"Milan", "Naples"}, Real: true},
	{Name: "Japan", Capital: "Tokyo", Language: "Japanese", Currency: "yen", Region: "Asia", KnownFor: "tea", Cities: []string{"Osaka", "Kyoto"}, Real: true},
	{Name: "Egypt", Capital: "Cairo", Language: "Arabic", Currency: "pound", Region: "Africa", KnownFor: "pyramids", Cities: []string{"Giza", "Luxor"}, Real: true},
	{Name: "Kenya", Capital: "Nairobi", Language: "Swahili", Currency: "shilling", Region: "Africa", KnownFor: "coffee", Cities: []string{"Mombasa", "Kisumu"}, Real: true},
	{Name: "Peru", Capital: "Lima", Language: "Spanish", Currency: "sol", Region: "South America", Neighbour: "Brazil", KnownFor: "potatoes", Cities: []string{"Cusco", "Arequipa"}, Real: true},
	{Name: "Brazil", Capital: "Brasilia", Language: "Portuguese", Currency: "real", Region: "South America", Neighbour: "Peru", KnownFor: "football", Cities: []string{"Recife", "Manaus"}, Real: true},
}

var (
	inventedRegions = []string{"the northern plains", "the eastern islands", "the western mountains", "the southern desert", "the central valley"}
	knownFor        = []string{"mountains", "rivers", "bread", "music", "ships", "tea", "wool", "festivals", "horses", "glass"}
	professions     = []string{"teacher", "doctor", "farmer", "engineer", "painter", "pilot", "baker", "lawyer", "chemist", "sailor", "poet", "nurse"}
	companyKinds    = []struct{ suffix, product string }{
		{"Foods", "bread"}, {"Motors", "trucks"}, {"Systems", "computers"}, {"Textiles", "carpets"},
		{"Press", "books"}, {"Pharma", "medicine"}, {"Toys", "puzzles"}, {"Shipyards", "boats"},
	}
)

// SmallWorld generates a world and its documents, deterministically for opts.Seed.
func SmallWorld(opts SmallWorldOptions) *World {
	opts = withSmallWorldDefaults(opts)
	rng := newRand(opts.Seed)
	var reserved []string
	for _, c := range realCountries {
		reserved = append(reserved, c.Name, c.Capital, c.Language)
		reserved = append(reserved, c.Cities...)
	}
	names := newNameMaker(rng, reserved)

	w := &World{}
	if opts.RealCountries {
		w.Countries = append(w.Countries, realCountries...)
	}
	for i := 0; i < opts.Countries; i++ {
		name := names.make(2, true)
		c := Country{
			Name:     name,
			Capital:  names.make(2, false),
			Language: languageName(name),
			Currency: strings.ToLower(names.make(1, false)),
			Region:   pick(rng, inventedRegions),
			KnownFor: pick(rng, knownFor),
		}
		for j := 0; j < opts.CitiesPerCountry; j++ {
			c.Cities = append(c.Cities, names.make(2, false))
		}
		w.Countries = append(w.Countries, c)
	}
	// Invented countries border the next invented one, so the relation is consistent.
	first := len(w.Countries) - opts.Countries
	for i := first; i < len(w.Countries) && opts.Countries > 1; i++ {
		next := first + (i-first+1)%opts.Countries
		w.Countries[i].Neighbour = w.Countries[next].Name
	}

	for _, c := range w.Countries {
		var local []Company
		for j := 0; j < opts.CompaniesPerCountry; j++ {
			kind := companyKinds[rng.IntN(len(companyKinds))]
			local = append(local, Company{Name: names.make(2, false) + " " + kind.suffix, City: pickCity(rng, c), Product: kind.product})
		}
		for j := 0; j < opts.PeoplePerCountry; j++ {
			p := Person{First: names.make(2, false), Last: names.make(2, false), Pronoun: pick(rng, []string{"she", "he"}),
				BirthCity: pickCity(rng, c), HomeCity: pickCity(rng, c), Profession: pick(rng, professions), Country: c.Name}
			if len(local) > 0 {
				p.Employer = local[rng.IntN(len(local))].Name
			}
			w.People = append(w.People, p)
		}
		// Each company was founded by one of its country's people.
		for j := range local {
			people := w.People[len(w.People)-opts.PeoplePerCountry:]
			if len(people) > 0 {
				local[j].Founder = people[rng.IntN(len(people))].Name()
			}
		}
		w.Companies = append(w.Companies, local...)
	}

	w.Facts = w.facts()
	for d := 0; d < opts.DocumentsPerEntity; d++ {
		for _, c := range w.Countries {
			w.Documents = append(w.Documents, countryDocument(rng, c))
		}
		for _, p := range w.People {
			w.Documents = append(w.Documents, personDocument(rng, p))
		}
		for _, c := range w.Companies {
			w.Documents = append(w.Documents, companyDocument(rng, c))
		}
	}
	for r := 0; r < opts.Reviews && len(w.People) > 0; r++ {
		w.Documents = append(w.Documents, reviewDocument(rng, w.People[rng.IntN(len(w.People))], r%3))
	}
	rng.Shuffle(len(w.Documents), func(i, j int) { w.Documents[i], w.Documents[j] = w.Documents[j], w.Documents[i] })
	return w
}

func withSmallWorldDefaults(o SmallWorldOptions) SmallWorldOptions {
	d := DefaultSmallWorld
	if o.Countries == 0 && !o.RealCountries {
		o.Countries = d.Countries
	}
	if o.CitiesPerCountry == 0 {
		o.CitiesPerCountry = d.CitiesPerCountry
	}
	if o.PeoplePerCountry == 0 {
		o.PeoplePerCountry = d.PeoplePerCountry
	}
	if o.CompaniesPerCountry == 0 {
		o.CompaniesPerCountry = d.CompaniesPerCountry
	}
	if o.DocumentsPerEntity == 0 {
		o.DocumentsPerEntity = d.DocumentsPerEntity
	}
	return o
}

// languageName derives a language from a country's name: Valdoria -> Valdorish.
func languageName(country string) string {
	stem := country
	for _, e := range endings {
		if strings.HasSuffix(stem, e) && len(stem) > len(e)+2 {
			stem = strings.TrimSuffix(stem, e)
			break
		}
	}
	return stem + "ish"
}

func pickCity(rng *rand.Rand, c Country) string {
	all := append([]string{c.Capital}, c.Cities...)
	return all[rng.IntN(len(all))]
}

// facts lists the triples that the documents state; each is stated in every
// document about its subject, so a model can learn them.
func (w *World) facts() []Fact {
	var facts []Fact
	add := func(subject, relation, object, cloze string) {
		facts = append(facts, Fact{Subject: subject, Relation: relation, Object: object, Cloze: cloze})
	}
	for _, c := range w.Countries {
		add(c.Name, "capital", c.Capital, fmt.Sprintf("The capital of %s is [MASK].", c.Name))
		add(c.Name, "language", c.Language, fmt.Sprintf("People in %s speak [MASK].", c.Name))
		add(c.Name, "currency", c.Currency, fmt.Sprintf("The currency of %s is the [MASK].", c.Name))
	}
	for _, p := range w.People {
		add(p.Name(), "birthplace", p.BirthCity, fmt.Sprintf("%s was born in [MASK].", p.Name()))
		add(p.Name(), "profession", p.Profession, fmt.Sprintf("%s works as %s [MASK].", p.Name(), strings.Fields(withArticle(p.Profession))[0]))
	}
	for _, c := range w.Companies {
		add(c.Name, "product", c.Product, fmt.Sprintf("%s makes [MASK].", c.Name))
	}
	return facts
}

// A sentence template: %[1]s is the subject (a name or a pronoun) and %[2]s the object.
type template = string

func say(rng *rand.Rand, templates []template, subject, object string) string {
	s := fmt.Sprintf(pick(rng, templates), subject, object)
	return strings.ToUpper(s[:1]) + s[1:]
}

// countryDocument states a country's facts in random order and words; after
// the first sentence the subject is sometimes "It".
func countryDocument(rng *rand.Rand, c Country) []string {
	type stmt struct {
		templates []template
		object    string
	}
	stmts := []stmt{
		{[]template{"the capital of %[1]s is %[2]s.", "%[2]s is the capital of %[1]s.", "the capital city of %[1]s is %[2]s."}, c.Capital},
		{[]template{"people in %[1]s speak %[2]s.", "the official language of %[1]s is %[2]s.", "in %[1]s, most people speak %[2]s."}, c.Language},
		{[]template{"the currency of %[1]s is the %[2]s.", "in %[1]s you pay with the %[2]s."}, c.Currency},
		{[]template{"%[1]s lies in %[2]s.", "%[1]s is a country in %[2]s."}, c.Region},
		{[]template{"%[1]s is known for its %[2]s.", "visitors come to %[1]s for its %[2]s."}, c.KnownFor},
	}
	if c.Neighbour != "" {
		stmts = append(stmts, stmt{[]template{"%[1]s borders %[2]s.", "%[1]s shares a border with %[2]s."}, c.Neighbour})
	}
	for _, city := range c.Cities {
		stmts = append(stmts, stmt{[]template{"%[2]s is a city in %[1]s.", "the city of %[2]s lies in %[1]s."}, city})
	}
	rng.Shuffle(len(stmts), func(i, j int) { stmts[i], stmts[j] = stmts[j], stmts[i] })
	var doc []string
	for i, s := range stmts {
		tpl := pick(rng, s.templates)
		subject := c.Name
		if i > 0 && strings.HasPrefix(tpl, "%[1]s") && rng.IntN(3) == 0 {
			subject = "it"
		}
		doc = append(doc, say(rng, []template{tpl}, subject, s.object))
	}
	return doc
}

// personDocument states a person's facts; later sentences use the first name or
// the pronoun.
func personDocument(rng *rand.Rand, p Person) []string {
	type stmt struct {
		templates []template
		object    string
	}
	stmts := []stmt{
		{[]template{"%[1]s works as %[2]s.", "%[1]s is %[2]s.", "by profession, %[1]s is %[2]s."}, withArticle(p.Profession)},
		{[]template{"%[1]s lives in %[2]s.", "%[1]s has a house in %[2]s."}, p.HomeCity},
	}
	if p.Employer != "" {
		stmts = append(stmts, stmt{[]template{"%[1]s works for %[2]s.", "%[1]s is employed by %[2]s."}, p.Employer})
	}
	rng.Shuffle(len(stmts), func(i, j int) { stmts[i], stmts[j] = stmts[j], stmts[i] })
	born := []template{"%[1]s was born in %[2]s.", "%[1]s was born in the city of %[2]s."}
	doc := []string{say(rng, born, p.Name(), p.BirthCity)}
	for _, s := range stmts {
		subject := pick(rng, []string{p.First, p.Pronoun, p.Name()})
		doc = append(doc, say(rng, s.templates, subject, s.object))
	}
	return doc
}

// companyDocument states a company's facts.
func companyDocument(rng *rand.Rand, c Company) []string {
	doc := []string{
		say(rng, []template{"%[1]s is based in %[2]s.", "the headquarters of %[1]s are in %[2]s."}, c.Name, c.City),
		say(rng, []template{"%[1]s makes %[2]s.", "%[1]s is known for its %[2]s."}, pick(rng, []string{c.Name, "the company"}), c.Product),
	}
	if c.Founder != "" {
		doc = append(doc, say(rng, []template{"%[1]s was founded by %[2]s.", "it was founded by %[2]s."}, c.Name, c.Founder))
	}
	rng.Shuffle(len(doc)-1, func(i, j int) { doc[i+1], doc[j+1] = doc[j+1], doc[i+1] })
	return doc
}

// withArticle puts "a" or "an" before a noun: "an engineer", "a pilot".
func withArticle(noun string) string {
	if strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}

// Text is the corpus in the input format of create_pretraining_data.py: one
// sentence per line, a blank line between documents.
func (w *World) Text() string {
	var b strings.Builder
	for i, doc := range w.Documents {
		if i > 0 {
			b.WriteString("\n")
		}
		for _, s := range doc {
			b.WriteString(s)
			b.WriteString("\n")
		}
	}
	return b.String()
}

// Sentences returns every sentence of the corpus, in document order: the
// training text for a WordPiece vocabulary.
func (w *World) Sentences() []string {
	var all []string
	for _, doc := range w.Documents {
		all = append(all, doc...)
	}
	return all
}
