package app

import (
	"context"
	"strings"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/providers"
)

// addProvider adds a provider account scoped to the organisation orgID.
func (s *adminSite) addProvider(email, orgID string) accounts.User {
	s.t.Helper()
	ctx := context.Background()
	var u accounts.User
	err := s.db.Tx(ctx, func(q db.Querier) error {
		var err error
		u, err = accounts.NewStore(q).Create(ctx, accounts.NewUser{Email: email, Name: strings.Split(email, "@")[0],
			Role: accounts.Provider, Organization: orgID, Password: testPassword})
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

// organizationOf returns the organisation id of a stored service.
func (s *adminSite) organizationOf(serviceID string) string {
	s.t.Helper()
	svc, err := directory.NewStore(s.db).Service(context.Background(), serviceID)
	if err != nil {
		s.t.Fatal(err)
	}
	return svc.OrganizationID
}

// newOrganization adds an organisation made here, without services.
func (s *adminSite) newOrganization(name string) string {
	s.t.Helper()
	o := directory.Organization{ID: directory.NewID(), Name: name, Source: "local"}
	if err := directory.NewStore(s.db).SaveOrganization(context.Background(), o); err != nil {
		s.t.Fatal(err)
	}
	return o.ID
}

// proposalFor stores a provider's pending proposal to rename a service.
func (s *adminSite) proposalFor(serviceID string, by accounts.User, name string) int64 {
	s.t.Helper()
	ctx := context.Background()
	svc, err := directory.NewStore(s.db).Service(ctx, serviceID)
	if err != nil {
		s.t.Fatal(err)
	}
	svc.Name, svc.Organization, svc.Terms = name, nil, nil
	var id int64
	err = s.db.Tx(ctx, func(q db.Querier) error {
		id, err = providers.NewStore(q).Propose(ctx, providers.Proposal{OrganizationID: svc.OrganizationID, ServiceID: svc.ID,
			UserID: by.ID, Service: svc})
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return id
}
