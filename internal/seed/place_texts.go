package seed

import "github.com/joinedup/joinedup/internal/places"

// Default texts for five more places, in the same shape as southwark().
//
// The prose below is written for joinedup in plain English; only facts
// (names, lists of partners, aims) are taken from the public pages named
// above each function. Where a fact could not be found it is left out, not
// guessed: none of these five pages gave a population figure with a date, so
// Figures is empty, and none gave social media accounts, so Socials is empty.

// bexley: very little was found. The name is confirmed; purpose, aims,
// partners, population and socials were not found in the stored sources.
//
// Sources:
//   - https://opengovernment.network/meetings/82536
//     (summary of Bexley Council's Adult Social Care & Health Overview and
//     Scrutiny Committee, 8 October 2025: item "Bexley Wellbeing Partnership
//     Winter Preparedness" — confirms the name and that the partnership plans
//     health and social care for the winter)
//   - https://www.selondonics.org/?p=18690
//     (Bexley has appointed its neighbourhood health service integrator)
func bexley() places.Place {
	return places.Place{
		Slug:            "bexley",
		Name:            "Bexley",
		PartnershipName: "Bexley Wellbeing Partnership",
		AreaCode:        "E09000004",
		Summary: "Bexley Wellbeing Partnership is where health and care services in Bexley plan their work together, " +
			"such as getting ready for the busy winter months.",
	}
}

// bromley: name confirmed as One Bromley (also written "One Bromley Local
// Care Partnership"). Aims are the partnership's long-term ambitions as given
// in its Covid-19 recovery page of about 2020 (NHS South East London CCG
// site); no newer list was found. Partners: the sources name only Bromley
// Council and the south east London clinical commissioning group (whose work
// passed to NHS South East London ICB in July 2022) by name, plus "local NHS
// health providers" and "voluntary services" in general.
//
// Sources:
//   - https://www.transformationpartners.nhs.uk/londonpartnership/case-studies/one-bromley-local-care-partnership/
//   - https://www.bromleyccg.nhs.uk/news/march-2020.htm
//   - https://www.newsshopper.co.uk/news/20162163.one-bromley-local-care-partnership-winners-revealed/
//     (seen through an Outlook safelinks copy of this address)
//   - https://www.bromleyccg.nhs.uk/improvements-being-delivered-through-one-bromley.htm
//   - https://selondonccg.nhs.uk/in-your-area/bromley/working-together/managing-covid-19-in-bromley/
//   - https://www.bromley.gov.uk/news/article/505/proposals-for-a-new-health-and-wellbeing-centre-move-forward
//     (Leader of Bromley Council is co-chair of the One Bromley board)
//   - https://selondonics.org/in-your-area/bromley/one-bromley-local-care-partnership/work-with-us-in-bromley/valuing-our-staff
//
// Not used as a figure: https://selondonccg.nhs.uk/in-your-area/bromley/live-well-in-bromley/health-in-bromley/
// says "more than 330,900 people living in Bromley", but gives no date or
// source (the page is from the former NHS South East London CCG, 2020–22).
func bromley() places.Place {
	return places.Place{
		Slug:            "bromley",
		Name:            "Bromley",
		PartnershipName: "One Bromley",
		AreaCode:        "E09000006",
		Summary: "One Bromley is the local care partnership for Bromley. It brings together NHS services, Bromley Council " +
			"and voluntary groups to give people care that is joined up, planned ahead and right for them.",
		Purpose: "One Bromley brings together the leaders of local NHS services, the council, the people who plan and pay " +
			"for care, and voluntary groups. They share the job of looking after health and care services in Bromley.\n\n" +
			"By working as one team, they want care to be better for everyone. Teams from health, social care and " +
			"voluntary groups work side by side. They help people stay well at home and get support before a problem " +
			"turns into a crisis.",
		AimsIntro: "Our long-term hopes for health and care in Bromley include:",
		Aims: []string{
			"helping residents to live healthier and more independent lives",
			"giving every child in Bromley the best possible start in life",
			"closing the unfair gaps in health between different groups of people",
			"giving our most vulnerable residents care that is planned ahead and fits their needs",
			"treating mental health as just as important as physical health",
			"helping partners and services to work as one system and join up care",
			"cutting out repeated work, so that more people can be cared for in their community",
		},
		Partners: []places.Partner{
			{Name: "Bromley Council", URL: "https://www.bromley.gov.uk", Description: "The borough council: social care, public health, housing and more."},
			{Name: "NHS South East London Integrated Care Board", URL: "https://www.selondonics.org", Description: "Plans and funds NHS services across the six boroughs."},
		},
	}
}

// greenwich: name confirmed as Healthier Greenwich Partnership (2023 and
// 2025 pages). Aims are the five aims of its Health and Wellbeing Strategy
// 2023–28. Partners are those listed for the partnership under its earlier
// name, Healthier Greenwich Alliance, on the former CCG's page (about 2020–22);
// NHS South East London CCG is given here as the ICB that replaced it. Left
// out of that list: "Greenwich Health – GP Federation" (official web address
// not confirmed) and "Primary Care Network Clinical Directors" (not one
// organisation).
//
// Sources:
//   - https://selondonics.org/new-health-and-wellbeing-strategy-for-greenwich
//   - https://www.royalgreenwich.gov.uk/news/2023/launch-new-five-year-health-and-wellbeing-strategy
//   - https://www.integratedhlth.co.uk/2023/10/11/new-five-year-strategy-from-healthier-greenwich-partnership/
//   - https://www.selondonics.org/partners-unite-to-launch-neighbourhood-health-and-care-service-for-greenwich
//   - https://selondonccg.nhs.uk/in-your-area/greenwich/working-together/ (partner list)
//   - https://en.wikipedia.org/wiki/Lewisham_and_Greenwich_NHS_Trust (what the trust runs)
//   - https://www.greenwich-cvs.org.uk/news/categories/other-sector-news/ (GAVS merging with METRO)
//   - https://healthwatchgreenwich.co.uk/report/2020-10-23/director-south-east-london-healthwatch-quarterly-report (web address)
func greenwich() places.Place {
	return places.Place{
		Slug:            "greenwich",
		Name:            "Greenwich",
		PartnershipName: "Healthier Greenwich Partnership",
		AreaCode:        "E09000011",
		Summary: "Healthier Greenwich Partnership is a group of organisations in the Royal Borough of Greenwich. " +
			"They work together to meet local people's health, care and wellbeing needs.",
		Purpose: "The partnership includes the NHS, the council, social care, and community and voluntary groups. " +
			"We work with the people who live, work or study in the borough to make it a healthier and happier place to live.\n\n" +
			"We asked residents what helps them live their best lives, from childhood to old age. What they told us " +
			"shaped our Health and Wellbeing Strategy for 2023 to 2028. We are also bringing services together in local " +
			"neighbourhoods, so that people can live longer, healthier and more independent lives.",
		AimsIntro: "Our Health and Wellbeing Strategy has five aims. We want to support Greenwich residents to:",
		Aims: []string{
			"start well: children and young people get the best start in life and reach their full potential",
			"be well: everyone is more active and can get healthy, nourishing food",
			"feel well: fewer people are harmed by addiction, and fewer adults and children have poor mental health",
			"stay well: everyone can use the services they need on fair terms, with strong community teams in each neighbourhood",
			"age well: people live full and independent lives as they grow older",
		},
		Partners: []places.Partner{
			{Name: "Royal Borough of Greenwich", URL: "https://www.royalgreenwich.gov.uk", Description: "The borough council: public health, adult social care and children's services."},
			{Name: "NHS South East London Integrated Care Board", URL: "https://www.selondonics.org", Description: "Plans and funds NHS services across the six boroughs."},
			{Name: "Oxleas NHS Foundation Trust", URL: "https://oxleas.nhs.uk", Description: "Community health services and mental health services."},
			{Name: "Lewisham and Greenwich NHS Trust", URL: "https://www.lewishamandgreenwich.nhs.uk", Description: "Runs Queen Elizabeth Hospital and University Hospital Lewisham."},
			{Name: "Healthwatch Greenwich", URL: "https://healthwatchgreenwich.co.uk", Description: "The independent voice of people who use health and social care services."},
			{Name: "METRO GAVS", URL: "https://metrocharity.org.uk", Description: "Support for the borough's voluntary and community sector."},
		},
	}
}

// lambeth: name confirmed as Lambeth Together (its board is the Lambeth
// Together Care Partnership Board). Purpose and aims are from its health and
// care plan "Our Health, Our Lambeth" 2023–28 (three aspirations). Partners:
// no page in the stored sources lists Lambeth Together's partner
// organisations (the CCG-era page says "These include:" but the list did not
// survive), so Partners is empty.
//
// Sources:
//   - http://lambethtogether.net/our-health-our-lambeth
//   - https://www.lambethtogether.net/long-read/our-health-our-lambeth/our-plan/
//   - https://www.lambethtogether.net/long-read/our-health-our-lambeth/our-aspirations-and-outcomes/
//   - https://selondonics.org/?p=6128 (launch of the plan, 24 May 2023)
//   - https://selondonccg.nhs.uk/in-your-area/lambeth/our-local-plans/
func lambeth() places.Place {
	return places.Place{
		Slug:            "lambeth",
		Name:            "Lambeth",
		PartnershipName: "Lambeth Together",
		AreaCode:        "E09000022",
		Summary: "Lambeth Together is Lambeth's health and care partnership. It brings health and care services together " +
			"with residents and communities to improve the health and wellbeing of everyone in the borough.",
		Purpose: "Lambeth is not an equal borough. Cuts to public services, the Covid-19 pandemic and the rising cost of " +
			"living have hit some people much harder than others. Poverty, racism and inequality have made health worse " +
			"for many of our residents.\n\n" +
			"Our five-year plan, Our Health, Our Lambeth, sets out how we will change this. We want to end unfair " +
			"differences in health between groups of people. We will help people lead healthier lives, stop illness " +
			"before it starts, and give help sooner when people become unwell. Everyone should have good experiences " +
			"of services they can trust.",
		AimsIntro: "Our plan for 2023 to 2028 has three big hopes for the people of Lambeth:",
		Aims: []string{
			"that people lead healthy lives and keep good physical and emotional health for as long as they can",
			"that physical and mental health problems are found early, and people get help to manage them and stop them getting worse",
			"that people can use health and care services they trust, which meet their needs and give them a good experience",
		},
	}
}

// lewisham: the partnership's own pages call it "Lewisham Health and Care
// Partnership" (the old seed's "Lewisham Health and Care Partners" was an
// earlier name, used by Lewisham CCG). Purpose and priorities are from its
// page on the ICS site; partners are those that page names as
// members ("General Practice" is also named, shown here through One Health
// Lewisham; "SEL ICS" is given as the ICB). The ICS page shows "27 GP
// Practices" but no population figure was seen.
//
// Sources:
//   - https://www.selondonics.org/in-your-area/lewisham/
//   - https://www.selondonics.org/in-your-area/lewisham/get-involved-in-lewisham-health-and-care-partnership/lewisham-peoples-partnership/
//   - https://onehealthlewisham.co.uk/one-health-lewisham-coordinated-care-service/ (what One Health Lewisham is)
//   - https://www.nhs.uk/Services/Trusts/Overview/DefaultView.aspx?id=1431 (what Lewisham and Greenwich NHS Trust runs)
//   - https://www.lewishamccg.nhs.uk/get-involved/engagement/EN/Pages/Health-and-care-partners-working-together-for-a-healthier-Lewisham.aspx (earlier name)
func lewisham() places.Place {
	return places.Place{
		Slug:            "lewisham",
		Name:            "Lewisham",
		PartnershipName: "Lewisham Health and Care Partnership",
		AreaCode:        "E09000023",
		Summary: "Lewisham Health and Care Partnership is made up of the organisations and people who are working together " +
			"to make health and care in Lewisham better.",
		Purpose: "More people live in Lewisham every year. People are living longer, and many live with more than one " +
			"long-term health condition. So more people need care, and their needs are often more complicated.\n\n" +
			"By working together, we want a health and care system that is easy to use and can keep going for years " +
			"to come. We want to help people look after their physical and mental wellbeing, live independently, and " +
			"get good care when they need it.",
		AimsIntro: "Our priorities are to:",
		Aims: []string{
			"join up GP services and other care in the community more closely",
			"build stronger, healthier families, with joined-up, high-quality support for the whole family",
			"tackle unfair differences in health and care, and the harm that disadvantage and discrimination do to people's health",
			"make the most of our role as big local employers, treat our staff with care and build a happier, healthier workforce",
			"make sure the money across our system adds up, now and in the future",
		},
		Partners: []places.Partner{
			{Name: "Lewisham Council", URL: "https://lewisham.gov.uk", Description: "The borough council: social care, public health, housing and more."},
			{Name: "NHS South East London Integrated Care Board", URL: "https://www.selondonics.org", Description: "Plans and funds NHS services across the six boroughs."},
			{Name: "Lewisham and Greenwich NHS Trust", URL: "https://www.lewishamandgreenwich.nhs.uk", Description: "Runs University Hospital Lewisham and community health services in Lewisham."},
			{Name: "South London and Maudsley NHS Foundation Trust", URL: "https://slam.nhs.uk", Description: "Mental health services."},
			{Name: "One Health Lewisham", URL: "https://onehealthlewisham.co.uk", Description: "The GP federation for Lewisham, owned by the borough's GP practices."},
			{Name: "Healthwatch Lewisham", URL: "https://www.healthwatchlewisham.co.uk", Description: "The independent voice of people who use health and social care services."},
		},
	}
}
