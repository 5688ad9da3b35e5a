package subprocessors

import "fmt"

// Column headers of sub-processor lists published in the languages the
// theme ships (German, French, Spanish, Italian, Dutch, Portuguese,
// Polish, Swedish, Danish, Finnish, Czech), as labelKey folds them: a
// translated register reads like the English one, without a column
// mapping in clause.toml. English words already in labels are not
// repeated; a word is never given two fields (init panics: a test runs
// it).
var intlLabels = map[string][]string{
	FieldName: {
		// de
		"unterauftragsverarbeiter", "namedesunterauftragsverarbeiters", "weitererauftragsverarbeiter",
		"subunternehmer", "unterauftragnehmer", "auftragsverarbeiter", "dienstleister", "anbieter", "unternehmen", "firma",
		// fr
		"soustraitant", "soustraitants", "soustraitantulterieur", "soustraitantsulterieurs", "nomdusoustraitant",
		"prestataire", "fournisseur", "societe", "entite", "nom", "raisonsociale",
		// es
		"subencargado", "subencargados", "subencargadodeltratamiento", "encargado", "proveedor", "empresa", "entidad", "nombre",
		// it
		"subresponsabile", "subresponsabili", "subresponsabiledeltrattamento", "fornitore", "societa", "nome", "ragionesociale",
		// nl
		"subverwerker", "subverwerkers", "leverancier", "naam", "bedrijf",
		// pt
		"suboperador", "suboperadores", "subcontratante", "fornecedor",
		// pl, sv, da, fi, cs
		"podmiotprzetwarzajacy", "dalszypodmiotprzetwarzajacy", "nazwa", "dostawca",
		"underbitrade", "underleverantor", "leverantor", "namn",
		"underdatabehandler", "leverandor", "navn",
		"alihankkija", "toimittaja", "nimi",
		"subzpracovatel", "dodavatel", "nazev",
	},
	FieldPurpose: {
		"zweck", "zwecke", "verarbeitungszweck", "zweckderverarbeitung", "leistung", "leistungen", "dienstleistung",
		"tatigkeit", "beschreibung", "artderverarbeitung", "artundzweckderverarbeitung", "funktion",
		"finalite", "finalites", "finalitedutraitement", "prestation", "naturedutraitement", "activite", "activites", "fonction",
		"finalidad", "finalidades", "proposito", "servicio", "servicios", "descripcion", "naturalezadeltratamiento", "actividad", "funcion",
		"finalita", "finalitadeltrattamento", "servizio", "servizi", "descrizione", "attivita", "naturadeltrattamento", "funzione",
		"doel", "doeleinden", "verwerkingsdoel", "dienst", "diensten", "omschrijving", "beschrijving", "activiteit",
		"finalidade", "servico", "servicos", "descricao", "atividade", "funcao",
		"cel", "celprzetwarzania", "usluga", "opis",
		"syfte", "andamal", "tjanst", "beskrivning",
		"formal", "ydelse", "tjeneste",
		"tarkoitus", "kayttotarkoitus", "palvelu", "kuvaus",
		"ucel", "sluzba", "popis",
	},
	FieldLocation: {
		"ort", "standort", "standorte", "ortderverarbeitung", "verarbeitungsort", "land", "lander", "serverstandort",
		"speicherort", "datenstandort",
		"localisation", "lieu", "lieudetraitement", "lieudutraitement", "pays", "localisationdesdonnees",
		"ubicacion", "ubicaciones", "pais", "paises", "lugardetratamiento", "lugardeltratamiento", "localizacion",
		"ubicazione", "paese", "luogo", "luogodeltrattamento", "localizzazione",
		"locatie", "landen", "verwerkingslocatie",
		"localizacao", "local", "localdetratamento", "localdotratamento",
		"lokalizacja", "kraj", "plats", "placering", "lande", "sijainti", "maa", "umisteni", "zeme",
	},
	FieldEntityCountry: {
		"sitz", "firmensitz", "hauptsitz", "sitzdesunternehmens", "sitzland",
		"siege", "siegesocial", "paysdusiege",
		"sede", "domicilio", "domiciliosocial", "sedelegale",
		"vestiging", "vestigingsland", "hoofdkantoor",
		"siedziba", "sate", "hjemsted", "kotipaikka", "sidlo",
	},
	FieldTransferMechanism: {
		"garantien", "geeignetegarantien", "ubermittlungsmechanismus", "transfermechanismus", "rechtsgrundlagederubermittlung",
		"garanties", "garantiesappropriees", "mecanismedetransfert", "transfert", "transferts",
		"garantias", "mecanismodetransferencia", "transferencia", "transferencias", "transferenciasinternacionales",
		"garanzie", "meccanismoditrasferimento", "trasferimento",
		"waarborgen", "doorgiftemechanisme",
		"zabezpieczenia", "skyddsatgarder", "garantier", "suojatoimet", "zaruky",
	},
	FieldDataCategories: {
		"datenkategorien", "kategorienpersonenbezogenerdaten", "personenbezogenedaten", "datenarten", "artderdaten", "verarbeitetedaten",
		"categoriesdedonnees", "categoriesdedonneespersonnelles", "donneespersonnelles", "donneestraitees", "typesdedonnees",
		"categoriasdedatos", "categoriasdedatospersonales", "datospersonales", "tiposdedatos",
		"categoriedidati", "categoriedidatipersonali", "datipersonali", "tipididati",
		"categorieenvanpersoonsgegevens", "persoonsgegevens", "gegevenscategorieen",
		"categoriasdedados", "categoriasdedadospessoais", "dadospessoais",
		"kategoriedanych", "daneosobowe", "personuppgifter", "personoplysninger", "henkilotiedot", "osobniudaje",
	},
	FieldWebsite: {"webseite", "sitioweb", "siteweb", "sitoweb", "strona", "webbplats", "hjemmeside", "verkkosivusto", "webovestranky"},
	FieldAdded: {
		"hinzugefugt", "hinzugefugtam", "seit", "ajoute", "ajoutele", "depuis", "anadido", "desde", "aggiunto",
		"toegevoegd", "sinds", "adicionado", "dodano", "tillagd", "tilfojet", "lisatty", "pridano",
	},
	FieldEffective: {
		"gultigab", "wirksamab", "inkraftab", "datedeffet", "fechadeefecto", "decorrenza", "ingangsdatum", "datadeinicio",
	},
}

func init() {
	for field, words := range intlLabels {
		for _, w := range words {
			if f, ok := labels[w]; ok && f != field {
				panic(fmt.Sprintf("subprocessors: column header %q means both %s and %s", w, f, field))
			}
			labels[w] = field
		}
	}
}
