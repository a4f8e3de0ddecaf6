package seed

import (
	"time"

	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/places"
)

// The default text below is written for joinedup; the facts in it (names,
// dates, times, titles and figures) are those of Partnership Southwark's
// public page on the South East London ICS site.

var defaultSystem = places.System{
	Slug:    "south-east-london",
	Name:    "South East London",
	Summary: "The NHS, councils and voluntary organisations of six south east London boroughs, working together as an integrated care system to improve health and care for the people who live there.",
}

func defaultPlaces() []places.Place {
	return []places.Place{bexley(), bromley(), greenwich(), lambeth(), lewisham(), southwark()}
}

func southwark() places.Place {
	return places.Place{
		Slug:            "southwark",
		Name:            "Southwark",
		PartnershipName: "Partnership Southwark",
		AreaCode:        "E09000028",
		Summary: "Partnership Southwark works with the people who use services, their carers and local communities " +
			"to join up services and support, tackle the causes of inequality and improve the health and wellbeing of Southwark residents.",
		Purpose: "Residents have told us they want health, care and education services that fit together, " +
			"treat them as a whole person and are simple to reach. We agree. Services are too often complicated " +
			"and split between organisations, and people's health and wellbeing suffer for it.\n\n" +
			"By working with each other and alongside local communities, we can make services more consistent " +
			"and more responsive to residents, carers and families, and narrow the inequalities between our " +
			"communities, many of which grew wider during the Covid-19 pandemic.",
		AimsIntro: "Our partnership of local health, care and voluntary organisations exists to:",
		Aims: []string{
			"better join up services and support",
			"tackle the causes of inequality",
			"improve the health and wellbeing of Southwark residents",
		},
		Figures: []places.Figure{{
			Key:        "population",
			Label:      "Population",
			Value:      319610,
			SourceName: "Partnership Southwark's page on the South East London ICS website",
			SourceURL:  "https://www.selondonics.org/in-your-area/southwark/",
			AsOf:       "May 2025",
		}},
		Partners: []places.Partner{
			{Name: "Southwark Council", URL: "https://www.southwark.gov.uk", Description: "The borough council: social care, public health, housing and more."},
			{Name: "NHS South East London Integrated Care Board", URL: "https://www.selondonics.org", Description: "Plans and funds NHS services across the six boroughs."},
			{Name: "Guy's and St Thomas' NHS Foundation Trust", URL: "https://www.guysandstthomas.nhs.uk", Description: "Hospital and community health services."},
			{Name: "King's College Hospital NHS Foundation Trust", URL: "https://www.kch.nhs.uk", Description: "Hospital services at Denmark Hill and beyond."},
			{Name: "South London and Maudsley NHS Foundation Trust", URL: "https://slam.nhs.uk", Description: "Mental health services."},
			{Name: "Quay Health Solutions", URL: "https://www.quayhealthsolutions.co.uk", Description: "The GP federation for north Southwark."},
			{Name: "Improving Health Limited", URL: "https://ihlsouthwark.co.uk", Description: "The GP federation for south Southwark."},
			{Name: "Community Southwark", URL: "https://www.communitysouthwark.org", Description: "Support for the borough's voluntary and community sector."},
			{Name: "Healthwatch Southwark", URL: "https://www.healthwatchsouthwark.org", Description: "The independent voice of people who use health and care services."},
		},
		Socials: []places.Social{
			{Network: "Bluesky", Handle: "Southwark Council, @lb-southwark.bsky.social", URL: "https://bsky.app/profile/lb-southwark.bsky.social"},
		},
	}
}

// at returns a wall-clock time in London as UTC.
func at(year int, month time.Month, day, hour, min int) time.Time {
	return time.Date(year, month, day, hour, min, 0, 0, london.Location).UTC()
}

func southwarkPosts() []news.Post {
	return []news.Post{
		{
			Kind:    news.KindNews,
			Slug:    "celebrating-success-at-the-hsj-awards-2024",
			Title:   "Celebrating success at the HSJ Awards 2024",
			Summary: "Two of our partners won awards at the HSJ Awards 2024, which recognise excellence in healthcare across the UK, and several others were highly commended.",
			Body: "The HSJ Awards celebrate the best of healthcare across the UK each year. At the 2024 ceremony, two organisations " +
				"in Partnership Southwark took home awards and several more were highly commended for new ways of improving " +
				"people's health in south east London and further afield.\n\n" +
				"We are proud of the teams behind this work, and of everyone in the partnership who helps residents stay well.",
			Author:      "Partnership Southwark",
			PublishedAt: at(2024, time.November, 22, 10, 0),
		},
		{
			Kind:    news.KindStory,
			Slug:    "supporting-patients-to-manage-their-lung-conditions",
			Title:   "Supporting patients to manage their lung conditions",
			Summary: "Local resident Ralf Nicholson tells how a Community Lung Health Day helped him take important steps to manage his lung condition.",
			Body: "A Community Lung Health Day brought people living with lung conditions together with social prescribers, " +
				"local support organisations and health professionals, so that they could get advice and support in one place.\n\n" +
				"Ralf Nicholson, who lives locally, went along. He told us the day helped him take important steps to manage " +
				"his condition, including getting in touch with the team that helps people stop smoking.",
			Author:      "Partnership Southwark",
			PullQuote:   "I’ve now spoken to the non-smoking team and hope to get over that with their help.",
			PullQuoteBy: "Ralf Nicholson, local resident",
			PublishedAt: at(2025, time.March, 27, 10, 0),
		},
	}
}

func southwarkEvents() []events.Event {
	return []events.Event{{
		Slug:  "partnership-southwark-strategic-board-22-may-2025",
		Title: "Partnership Southwark Strategic Board – 22 May 2025",
		Summary: "The Partnership Southwark Strategic Board meets in public on Thursday 22 May 2025. " +
			"Residents and community members are welcome to attend and to ask the board questions.",
		Body: "The Strategic Board brings together representatives of the organisations in Partnership Southwark " +
			"and community representatives from across the borough.\n\n" +
			"The meeting is held in public. Anyone who lives or works in Southwark is welcome to come and listen, " +
			"and to put questions to the board. Questions can be sent in before the meeting.",
		StartsAt:  at(2025, time.May, 22, 13, 30),
		EndsAt:    at(2025, time.May, 22, 16, 30),
		Organiser: "Partnership Southwark",
		Status:    events.StatusScheduled,
	}}
}
