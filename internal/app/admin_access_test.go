package app

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/admin"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/privacy"
)

// The actors of the access table.
const (
	anon       = "anonymous"
	adminUser  = "administrator"
	editorSE   = "editor of southwark"
	editorLew  = "editor of lewisham"
	editorAll  = "editor of every place"
	governance = "governance officer"
	dirEditor  = "directory editor"
	reviewer   = "reviewer"
	// provider is a provider of {service}'s organisation; otherProvider
	// one of another organisation.
	provider      = "provider"
	otherProvider = "provider of another organisation"
)

var actors = []string{anon, adminUser, editorSE, editorLew, editorAll, governance, dirEditor, reviewer, provider, otherProvider}

var (
	signedIn       = []string{adminUser, editorSE, editorLew, editorAll, governance, dirEditor, reviewer, provider, otherProvider}
	providerActors = []string{provider, otherProvider}
	everybody      = actors
)

// access says, for one admin route, what each actor gets. Actors in allowed
// get status ok (a page, a redirect after a POST, or the form again with
// errors for the empty form the test sends); signed-in actors not in
// allowed get 403; anonymous visitors not allowed are sent to the login
// page (GET) or refused (POST).
type access struct {
	path    string // with path values filled in
	allowed []string
	ok      int
	// okFor overrides ok for some allowed actors.
	okFor map[string]int
	// endsSession: the actor must sign in again after this route.
	endsSession bool
}

// adminAccess lists every admin route. A route missing here fails
// TestAdminRoutesAllListed.
var adminAccess = map[string]access{
	"GET /admin/login": {path: "/admin/login", allowed: everybody, ok: http.StatusSeeOther,
		okFor: map[string]int{anon: http.StatusOK}},
	"POST /admin/login": {path: "/admin/login", allowed: everybody, ok: http.StatusUnprocessableEntity},
	// Without a valid token, the setup and reset links answer "expired".
	"GET /admin/setup":  {path: "/admin/setup?token=wrong", allowed: everybody, ok: http.StatusNotFound},
	"POST /admin/setup": {path: "/admin/setup", allowed: everybody, ok: http.StatusNotFound},
	"GET /admin/reset":  {path: "/admin/reset?token=wrong", allowed: everybody, ok: http.StatusNotFound},
	"POST /admin/reset": {path: "/admin/reset", allowed: everybody, ok: http.StatusNotFound},

	"POST /admin/logout": {path: "/admin/logout", allowed: signedIn, ok: http.StatusSeeOther, endsSession: true},
	"GET /admin/{$}":     {path: "/admin/", allowed: signedIn, ok: http.StatusOK},
	// The admin search: each finds what they may read.
	"GET /admin/search":            {path: "/admin/search?q=southwark", allowed: signedIn, ok: http.StatusOK},
	"GET /admin/account/password":  {path: "/admin/account/password", allowed: signedIn, ok: http.StatusOK},
	"POST /admin/account/password": {path: "/admin/account/password", allowed: signedIn, ok: http.StatusUnprocessableEntity},
	"GET /admin/account/sessions":  {path: "/admin/account/sessions", allowed: signedIn, ok: http.StatusOK},
	"POST /admin/account/sessions": {path: "/admin/account/sessions", allowed: signedIn, ok: http.StatusSeeOther, endsSession: true},

	// Measuring a text's reading age changes nothing: everyone signed in
	// may, as their forms' script does.
	"POST /admin/readability": {path: "/admin/readability", allowed: signedIn, ok: http.StatusOK},

	// Two-factor authentication: each signed-in user sets up their own;
	// the code page sends anyone without a login under way back to the
	// login form, and anyone signed in to the admin.
	"GET /admin/account/two-factor":          {path: "/admin/account/two-factor", allowed: signedIn, ok: http.StatusOK},
	"POST /admin/account/two-factor":         {path: "/admin/account/two-factor", allowed: signedIn, ok: http.StatusUnprocessableEntity},
	"GET /admin/account/two-factor/qr":       {path: "/admin/account/two-factor/qr", allowed: signedIn, ok: http.StatusOK},
	"POST /admin/account/two-factor/disable": {path: "/admin/account/two-factor/disable", allowed: signedIn, ok: http.StatusUnprocessableEntity},
	"GET /admin/login/code":                  {path: "/admin/login/code", allowed: everybody, ok: http.StatusSeeOther},
	"POST /admin/login/code":                 {path: "/admin/login/code", allowed: everybody, ok: http.StatusSeeOther},
	"POST /admin/users/{id}/two-factor":      {path: "/admin/users/{editor}/two-factor", allowed: []string{adminUser}, ok: http.StatusSeeOther},

	"GET /admin/users":           {path: "/admin/users", allowed: []string{adminUser}, ok: http.StatusOK},
	"GET /admin/users/new":       {path: "/admin/users/new", allowed: []string{adminUser}, ok: http.StatusOK},
	"POST /admin/users":          {path: "/admin/users", allowed: []string{adminUser}, ok: http.StatusUnprocessableEntity},
	"GET /admin/users/{id}":      {path: "/admin/users/{admin}", allowed: []string{adminUser}, ok: http.StatusOK},
	"POST /admin/users/{id}":     {path: "/admin/users/{admin}", allowed: []string{adminUser}, ok: http.StatusUnprocessableEntity},
	"GET /admin/places":          {path: "/admin/places", allowed: []string{adminUser, editorSE, editorLew, editorAll, reviewer}, ok: http.StatusOK},
	"GET /admin/places/{place}":  {path: "/admin/places/southwark", allowed: readers([]string{adminUser, editorSE, editorAll}), ok: http.StatusOK},
	"POST /admin/places/{place}": {path: "/admin/places/southwark", allowed: []string{adminUser, editorSE, editorAll}, ok: http.StatusUnprocessableEntity},

	// Posts and events: {post} and {event} are a Southwark post and event,
	// which the editor of Lewisham may not change (the handlers check).
	"GET /admin/posts":        {path: "/admin/posts", allowed: readers(contentEditors), ok: http.StatusOK},
	"GET /admin/posts/new":    {path: "/admin/posts/new", allowed: contentEditors, ok: http.StatusOK},
	"POST /admin/posts":       {path: "/admin/posts", allowed: contentEditors, ok: http.StatusUnprocessableEntity},
	"GET /admin/posts/{id}":   {path: "/admin/posts/{post}", allowed: readers([]string{adminUser, editorSE, editorAll}), ok: http.StatusOK},
	"POST /admin/posts/{id}":  {path: "/admin/posts/{post}", allowed: []string{adminUser, editorSE, editorAll}, ok: http.StatusUnprocessableEntity},
	"GET /admin/events":       {path: "/admin/events", allowed: readers(contentEditors), ok: http.StatusOK},
	"GET /admin/events/new":   {path: "/admin/events/new", allowed: contentEditors, ok: http.StatusOK},
	"POST /admin/events":      {path: "/admin/events", allowed: contentEditors, ok: http.StatusUnprocessableEntity},
	"GET /admin/events/{id}":  {path: "/admin/events/{event}", allowed: readers([]string{adminUser, editorSE, editorAll}), ok: http.StatusOK},
	"POST /admin/events/{id}": {path: "/admin/events/{event}", allowed: []string{adminUser, editorSE, editorAll}, ok: http.StatusUnprocessableEntity},
	// Registration of a Southwark event: the same people as editing it.
	"GET /admin/events/{id}/registration":  {path: "/admin/events/{event}/registration", allowed: []string{adminUser, editorSE, editorAll}, ok: http.StatusOK},
	"POST /admin/events/{id}/registration": {path: "/admin/events/{event}/registration", allowed: []string{adminUser, editorSE, editorAll}, ok: http.StatusUnprocessableEntity},
	"GET /admin/events/{id}/registration/attendees.csv": {path: "/admin/events/{event}/registration/attendees.csv",
		allowed: []string{adminUser, editorSE, editorAll}, ok: http.StatusOK},
	// Cancelling an attendee: {registration} is someone registered for the
	// Southwark event; the confirmation page shows them, and cancelling a
	// registration that does not exist is a 404.
	"GET /admin/events/{id}/registration/{reg}/cancel": {path: "/admin/events/{event}/registration/{registration}/cancel",
		allowed: []string{adminUser, editorSE, editorAll}, ok: http.StatusOK},
	"POST /admin/events/{id}/registration/{reg}/cancel": {path: "/admin/events/{event}/registration/999999/cancel",
		allowed: []string{adminUser, editorSE, editorAll}, ok: http.StatusNotFound},

	// Previews: the empty form is shown again with its errors.
	"POST /admin/posts/preview": {path: "/admin/posts/preview", allowed: contentEditors, ok: http.StatusUnprocessableEntity},
	// Bulk publishing: the empty form is the list again with its errors.
	"POST /admin/posts/bulk":          {path: "/admin/posts/bulk", allowed: contentEditors, ok: http.StatusUnprocessableEntity},
	"GET /admin/posts/{id}/preview":   {path: "/admin/posts/{post}/preview", allowed: readers(southwarkEditors), ok: http.StatusOK},
	"POST /admin/posts/{id}/preview":  {path: "/admin/posts/{post}/preview", allowed: southwarkEditors, ok: http.StatusUnprocessableEntity},
	"POST /admin/events/preview":      {path: "/admin/events/preview", allowed: contentEditors, ok: http.StatusUnprocessableEntity},
	"GET /admin/events/{id}/preview":  {path: "/admin/events/{event}/preview", allowed: readers(southwarkEditors), ok: http.StatusOK},
	"POST /admin/events/{id}/preview": {path: "/admin/events/{event}/preview", allowed: southwarkEditors, ok: http.StatusUnprocessableEntity},

	// Revisions and exports: {…rev} is a saved version of the Southwark
	// place, post or event; restoring it succeeds.
	"GET /admin/places/{place}/revisions":                {path: "/admin/places/southwark/revisions", allowed: readers(southwarkEditors), ok: http.StatusOK},
	"GET /admin/places/{place}/revisions/{rev}":          {path: "/admin/places/southwark/revisions/{placerev}", allowed: readers(southwarkEditors), ok: http.StatusOK},
	"POST /admin/places/{place}/revisions/{rev}/restore": {path: "/admin/places/southwark/revisions/{placerev}/restore", allowed: southwarkEditors, ok: http.StatusSeeOther},
	"POST /admin/places/{place}/export":                  {path: "/admin/places/southwark/export", allowed: southwarkEditors, ok: http.StatusOK},
	"GET /admin/posts/{id}/revisions":                    {path: "/admin/posts/{post}/revisions", allowed: readers(southwarkEditors), ok: http.StatusOK},
	"GET /admin/posts/{id}/revisions/{rev}":              {path: "/admin/posts/{post}/revisions/{postrev}", allowed: readers(southwarkEditors), ok: http.StatusOK},
	"POST /admin/posts/{id}/revisions/{rev}/restore":     {path: "/admin/posts/{post}/revisions/{postrev}/restore", allowed: southwarkEditors, ok: http.StatusSeeOther},
	"POST /admin/posts/{id}/export":                      {path: "/admin/posts/{post}/export", allowed: southwarkEditors, ok: http.StatusOK},
	"GET /admin/events/{id}/revisions":                   {path: "/admin/events/{event}/revisions", allowed: readers(southwarkEditors), ok: http.StatusOK},
	"GET /admin/events/{id}/revisions/{rev}":             {path: "/admin/events/{event}/revisions/{eventrev}", allowed: readers(southwarkEditors), ok: http.StatusOK},
	"POST /admin/events/{id}/revisions/{rev}/restore":    {path: "/admin/events/{event}/revisions/{eventrev}/restore", allowed: southwarkEditors, ok: http.StatusSeeOther},
	"POST /admin/events/{id}/export":                     {path: "/admin/events/{event}/export", allowed: southwarkEditors, ok: http.StatusOK},
	"POST /admin/users/{id}/export":                      {path: "/admin/users/{admin}/export", allowed: []string{adminUser}, ok: http.StatusOK},
	"GET /admin/boards/{id}/revisions":                   {path: "/admin/boards/{board}/revisions", allowed: readers(boardManagers), ok: http.StatusOK},
	"GET /admin/boards/{id}/revisions/{rev}":             {path: "/admin/boards/{board}/revisions/{boardrev}", allowed: readers(boardManagers), ok: http.StatusOK},
	"POST /admin/boards/{id}/revisions/{rev}/restore":    {path: "/admin/boards/{board}/revisions/{boardrev}/restore", allowed: boardManagers, ok: http.StatusSeeOther},
	"POST /admin/boards/{id}/export":                     {path: "/admin/boards/{board}/export", allowed: boardManagers, ok: http.StatusOK},
	"GET /admin/meetings/{id}/revisions":                 {path: "/admin/meetings/{meeting}/revisions", allowed: readers(boardManagers), ok: http.StatusOK},
	"GET /admin/meetings/{id}/revisions/{rev}":           {path: "/admin/meetings/{meeting}/revisions/{meetingrev}", allowed: readers(boardManagers), ok: http.StatusOK},
	"POST /admin/meetings/{id}/revisions/{rev}/restore":  {path: "/admin/meetings/{meeting}/revisions/{meetingrev}/restore", allowed: boardManagers, ok: http.StatusSeeOther},
	"POST /admin/meetings/{id}/export":                   {path: "/admin/meetings/{meeting}/export", allowed: boardManagers, ok: http.StatusOK},

	"GET /admin/audit":      {path: "/admin/audit", allowed: readers([]string{adminUser}), ok: http.StatusOK},
	"GET /admin/audit/{id}": {path: "/admin/audit/1", allowed: readers([]string{adminUser}), ok: http.StatusOK},

	// The privacy notice: administrators edit it (the empty form is shown
	// again with its errors); {privacyrev} is a saved version of it.
	"GET /admin/privacy":                          {path: "/admin/privacy", allowed: readers([]string{adminUser}), ok: http.StatusOK},
	"POST /admin/privacy":                         {path: "/admin/privacy", allowed: []string{adminUser}, ok: http.StatusUnprocessableEntity},
	"GET /admin/privacy/revisions":                {path: "/admin/privacy/revisions", allowed: readers([]string{adminUser}), ok: http.StatusOK},
	"GET /admin/privacy/revisions/{rev}":          {path: "/admin/privacy/revisions/{privacyrev}", allowed: readers([]string{adminUser}), ok: http.StatusOK},
	"POST /admin/privacy/revisions/{rev}/restore": {path: "/admin/privacy/revisions/{privacyrev}/restore", allowed: []string{adminUser}, ok: http.StatusSeeOther},
	"POST /admin/privacy/export":                  {path: "/admin/privacy/export", allowed: []string{adminUser}, ok: http.StatusOK},
	"GET /admin/mail":                             {path: "/admin/mail", allowed: []string{adminUser}, ok: http.StatusOK},

	// The directory: {service} is a seeded service, {servicerev} a saved
	// version of it.
	"GET /admin/directory":                                        {path: "/admin/directory", allowed: readers(directoryEditors), ok: http.StatusOK},
	"GET /admin/directory/services/{id}":                          {path: "/admin/directory/services/{service}", allowed: readers(directoryEditors), ok: http.StatusOK},
	"POST /admin/directory/services/{id}":                         {path: "/admin/directory/services/{service}", allowed: directoryEditors, ok: http.StatusUnprocessableEntity},
	"GET /admin/directory/services/{id}/revisions":                {path: "/admin/directory/services/{service}/revisions", allowed: readers(directoryEditors), ok: http.StatusOK},
	"GET /admin/directory/services/{id}/revisions/{rev}":          {path: "/admin/directory/services/{service}/revisions/{servicerev}", allowed: readers(directoryEditors), ok: http.StatusOK},
	"POST /admin/directory/services/{id}/revisions/{rev}/restore": {path: "/admin/directory/services/{service}/revisions/{servicerev}/restore", allowed: directoryEditors, ok: http.StatusSeeOther},
	"POST /admin/directory/services/{id}/export":                  {path: "/admin/directory/services/{service}/export", allowed: directoryEditors, ok: http.StatusOK},
	"GET /admin/directory/services/new":                           {path: "/admin/directory/services/new", allowed: directoryEditors, ok: http.StatusOK},
	"POST /admin/directory/services":                              {path: "/admin/directory/services", allowed: directoryEditors, ok: http.StatusUnprocessableEntity},
	// {service} has no conflict with its source to settle.
	"POST /admin/directory/services/{id}/corrections": {path: "/admin/directory/services/{service}/corrections", allowed: directoryEditors, ok: http.StatusNotFound},
	// Organisations: {org} is {service}'s; {closeorg} one without services,
	// which closing leaves closed for the next actor (still a redirect).
	"GET /admin/directory/organizations":                 {path: "/admin/directory/organizations", allowed: readers(directoryEditors), ok: http.StatusOK},
	"GET /admin/directory/organizations/new":             {path: "/admin/directory/organizations/new", allowed: directoryEditors, ok: http.StatusOK},
	"POST /admin/directory/organizations":                {path: "/admin/directory/organizations", allowed: directoryEditors, ok: http.StatusUnprocessableEntity},
	"GET /admin/directory/organizations/{id}":            {path: "/admin/directory/organizations/{org}", allowed: readers(directoryEditors), ok: http.StatusOK},
	"POST /admin/directory/organizations/{id}":           {path: "/admin/directory/organizations/{org}", allowed: directoryEditors, ok: http.StatusUnprocessableEntity},
	"POST /admin/directory/organizations/{id}/close":     {path: "/admin/directory/organizations/{closeorg}/close", allowed: directoryEditors, ok: http.StatusSeeOther},
	"POST /admin/directory/organizations/{id}/providers": {path: "/admin/directory/organizations/{org}/providers", allowed: directoryEditors, ok: http.StatusUnprocessableEntity},
	"GET /admin/directory/proposals":                     {path: "/admin/directory/proposals", allowed: readers(directoryEditors), ok: http.StatusOK},
	"GET /admin/directory/proposals/{id}":                {path: "/admin/directory/proposals/{proposal}", allowed: readers(directoryEditors), ok: http.StatusOK},
	"POST /admin/directory/proposals/{id}":               {path: "/admin/directory/proposals/{proposal}", allowed: directoryEditors, ok: http.StatusUnprocessableEntity},

	// A provider's pages: {service} is the provider's organisation's, not
	// the other provider's.
	"GET /admin/provider":                {path: "/admin/provider", allowed: providerActors, ok: http.StatusOK},
	"GET /admin/provider/services/new":   {path: "/admin/provider/services/new", allowed: providerActors, ok: http.StatusOK},
	"POST /admin/provider/services":      {path: "/admin/provider/services", allowed: providerActors, ok: http.StatusUnprocessableEntity},
	"GET /admin/provider/services/{id}":  {path: "/admin/provider/services/{service}", allowed: []string{provider}, ok: http.StatusOK},
	"POST /admin/provider/services/{id}": {path: "/admin/provider/services/{service}", allowed: []string{provider}, ok: http.StatusUnprocessableEntity},

	// Keeping listings true: confirming a record (each press succeeds),
	// the stale records and the checks' findings, read by any directory
	// reader; residents' reports, which hold their addresses, for those who
	// act on them only. {report} is a report about {service}; the empty
	// forms are shown again with their errors.
	"POST /admin/directory/services/{id}/confirm": {path: "/admin/directory/services/{service}/confirm", allowed: directoryEditors, ok: http.StatusSeeOther},
	"GET /admin/directory/stale":                  {path: "/admin/directory/stale", allowed: readers(directoryEditors), ok: http.StatusOK},
	"GET /admin/directory/checks":                 {path: "/admin/directory/checks", allowed: readers(directoryEditors), ok: http.StatusOK},
	"GET /admin/directory/reports":                {path: "/admin/directory/reports", allowed: directoryEditors, ok: http.StatusOK},
	"POST /admin/directory/stale/confirm":         {path: "/admin/directory/stale/confirm", allowed: directoryEditors, ok: http.StatusUnprocessableEntity},
	"POST /admin/directory/reports/close":         {path: "/admin/directory/reports/close", allowed: directoryEditors, ok: http.StatusUnprocessableEntity},
	"GET /admin/directory/reports/{id}":           {path: "/admin/directory/reports/{report}", allowed: directoryEditors, ok: http.StatusOK},
	"POST /admin/directory/reports/{id}":          {path: "/admin/directory/reports/{report}", allowed: directoryEditors, ok: http.StatusUnprocessableEntity},

	// The media library: {image} is the lead image of the Southwark post,
	// so deleting it is refused (409) and it stays for the next actor.
	// Governance officers upload PDFs (the empty form: "choose a file")
	// but may not change images.
	"GET /admin/media":              {path: "/admin/media", allowed: readers(mediaUsers), ok: http.StatusOK},
	"GET /admin/media/new":          {path: "/admin/media/new", allowed: mediaUsers, ok: http.StatusOK},
	"POST /admin/media":             {path: "/admin/media", allowed: mediaUsers, ok: http.StatusUnprocessableEntity},
	"GET /admin/media/{id}":         {path: "/admin/media/{image}", allowed: readers(mediaUsers), ok: http.StatusOK},
	"POST /admin/media/{id}":        {path: "/admin/media/{image}", allowed: contentEditors, ok: http.StatusUnprocessableEntity},
	"POST /admin/media/{id}/delete": {path: "/admin/media/{image}/delete", allowed: contentEditors, ok: http.StatusConflict},
	"POST /admin/media/{id}/export": {path: "/admin/media/{image}/export", allowed: mediaUsers, ok: http.StatusOK},

	// Boards, meetings and questions: {board} and {meeting} are the seeded
	// Strategic Board and its meeting to come, {question} a question to
	// it. Removing a part that does not exist is a 404 for those allowed.
	"GET /admin/boards":       {path: "/admin/boards", allowed: readers(boardManagers), ok: http.StatusOK},
	"GET /admin/boards/new":   {path: "/admin/boards/new", allowed: boardManagers, ok: http.StatusOK},
	"POST /admin/boards":      {path: "/admin/boards", allowed: boardManagers, ok: http.StatusUnprocessableEntity},
	"GET /admin/boards/{id}":  {path: "/admin/boards/{board}", allowed: readers(boardManagers), ok: http.StatusOK},
	"POST /admin/boards/{id}": {path: "/admin/boards/{board}", allowed: boardManagers, ok: http.StatusUnprocessableEntity},
	// Archiving and unarchiving: the first press archives, the next says
	// it is archived already (both redirect); the routes after each
	// archive route bring the board and the meeting back.
	"POST /admin/boards/{id}/archive":     {path: "/admin/boards/{board}/archive", allowed: boardManagers, ok: http.StatusSeeOther},
	"POST /admin/boards/{id}/unarchive":   {path: "/admin/boards/{board}/unarchive", allowed: boardManagers, ok: http.StatusSeeOther},
	"POST /admin/meetings/{id}/archive":   {path: "/admin/meetings/{meeting}/archive", allowed: boardManagers, ok: http.StatusSeeOther},
	"POST /admin/meetings/{id}/unarchive": {path: "/admin/meetings/{meeting}/unarchive", allowed: boardManagers, ok: http.StatusSeeOther},
	"GET /admin/boards/{id}/meetings/new": {path: "/admin/boards/{board}/meetings/new", allowed: boardManagers, ok: http.StatusOK},
	"POST /admin/boards/{id}/meetings":    {path: "/admin/boards/{board}/meetings", allowed: boardManagers, ok: http.StatusUnprocessableEntity},
	"GET /admin/meetings":                 {path: "/admin/meetings", allowed: readers(boardManagers), ok: http.StatusOK},
	"GET /admin/meetings/{id}":            {path: "/admin/meetings/{meeting}", allowed: readers(boardManagers), ok: http.StatusOK},
	"POST /admin/meetings/{id}":           {path: "/admin/meetings/{meeting}", allowed: boardManagers, ok: http.StatusUnprocessableEntity},
	// Telling a board's subscribers of a meeting's papers: sent once, then
	// each later press says so (both redirect).
	// Other formats of a paper: the empty form is shown again; removing
	// one that does not exist is a 404.
	"POST /admin/meetings/{id}/alternatives":               {path: "/admin/meetings/{meeting}/alternatives", allowed: boardManagers, ok: http.StatusUnprocessableEntity},
	"POST /admin/meetings/{id}/alternatives/{part}/remove": {path: "/admin/meetings/{meeting}/alternatives/999999/remove", allowed: boardManagers, ok: http.StatusNotFound},
	// Requests for other formats: everyone who answers them has a queue
	// (each holding their own); {formatrequest} is a request for a
	// Southwark board's paper, which governance officers answer and
	// editors may not open. Residents' emails: not the reviewer's.
	"GET /admin/format-requests":                           {path: "/admin/format-requests", allowed: formatAnswerers, ok: http.StatusOK},
	"GET /admin/format-requests/{id}":                      {path: "/admin/format-requests/{formatrequest}", allowed: boardManagers, ok: http.StatusOK},
	"POST /admin/format-requests/{id}":                     {path: "/admin/format-requests/{formatrequest}", allowed: boardManagers, ok: http.StatusUnprocessableEntity},
	"GET /admin/format-requests/settings":                  {path: "/admin/format-requests/settings", allowed: []string{adminUser}, ok: http.StatusOK},
	"POST /admin/format-requests/settings":                 {path: "/admin/format-requests/settings", allowed: []string{adminUser}, ok: http.StatusUnprocessableEntity},
	"GET /admin/meetings/{id}/subscribers":                 {path: "/admin/meetings/{meeting}/subscribers", allowed: boardManagers, ok: http.StatusOK},
	"POST /admin/meetings/{id}/subscribers":                {path: "/admin/meetings/{meeting}/subscribers", allowed: boardManagers, ok: http.StatusSeeOther},
	"POST /admin/meetings/{id}/items":                      {path: "/admin/meetings/{meeting}/items", allowed: boardManagers, ok: http.StatusUnprocessableEntity},
	"POST /admin/meetings/{id}/items/{part}/remove":        {path: "/admin/meetings/{meeting}/items/999999/remove", allowed: boardManagers, ok: http.StatusNotFound},
	"POST /admin/meetings/{id}/papers":                     {path: "/admin/meetings/{meeting}/papers", allowed: boardManagers, ok: http.StatusUnprocessableEntity},
	"POST /admin/meetings/{id}/papers/{part}/remove":       {path: "/admin/meetings/{meeting}/papers/999999/remove", allowed: boardManagers, ok: http.StatusNotFound},
	"POST /admin/meetings/{id}/declarations":               {path: "/admin/meetings/{meeting}/declarations", allowed: boardManagers, ok: http.StatusUnprocessableEntity},
	"POST /admin/meetings/{id}/declarations/{part}/remove": {path: "/admin/meetings/{meeting}/declarations/999999/remove", allowed: boardManagers, ok: http.StatusNotFound},
	"GET /admin/questions":                                 {path: "/admin/questions", allowed: readers(boardManagers), ok: http.StatusOK},
	"GET /admin/questions/{id}":                            {path: "/admin/questions/{question}", allowed: readers(boardManagers), ok: http.StatusOK},
	"POST /admin/questions/{id}":                           {path: "/admin/questions/{question}", allowed: boardManagers, ok: http.StatusUnprocessableEntity},
	"POST /admin/questions/{id}/export":                    {path: "/admin/questions/{question}/export", allowed: boardManagers, ok: http.StatusOK},
}

// readers adds the reviewer, who reads every list and record page of the
// admin, the audit log and residents' questions (without their names and
// email addresses), but not the forms for new records, accounts, failed
// email, attendees or subscribers, and changes nothing, to those who may
// use a page.
func readers(actors []string) []string { return append(slices.Clone(actors), reviewer) }

// boardManagers run boards, meetings and residents' questions.
var boardManagers = []string{adminUser, governance}

// formatAnswerers answer residents' requests for other formats.
var formatAnswerers = []string{adminUser, editorSE, editorLew, editorAll, governance}

// mediaUsers may use the media library.
var mediaUsers = []string{adminUser, editorSE, editorLew, editorAll, governance}

// directoryEditors may change directory records.
var directoryEditors = []string{adminUser, dirEditor}

// southwarkEditors may change Southwark's place, posts and events.
var southwarkEditors = []string{adminUser, editorSE, editorAll}

// contentEditors may write posts and events (of their own places).
var contentEditors = []string{adminUser, editorSE, editorLew, editorAll}

// TestAdminRoutesAllListed fails when a route is registered that the access
// table does not list, or the table lists one that is gone.
func TestAdminRoutesAllListed(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range admin.Routes() {
		if r.Permission == "" {
			t.Errorf("%s has no permission", r.Pattern())
		}
		if _, ok := adminAccess[r.Pattern()]; !ok {
			t.Errorf("%s (needs %s) is not in the access table adminAccess: add it with who may use it", r.Pattern(), r.Permission)
		}
		seen[r.Pattern()] = true
	}
	for p := range adminAccess {
		if !seen[p] {
			t.Errorf("the access table lists %s, which is not an admin route", p)
		}
	}
}

// TestAdminAccess checks every admin route, for anonymous visitors, each
// role and an editor of another place, over real HTTP.
func TestAdminAccess(t *testing.T) {
	s := newAdminSite(t)
	emails := map[string]string{}
	var adminID, editorID int64
	var providerUser accounts.User
	for _, a := range actors[1:] {
		email := strings.ReplaceAll(a, " ", ".") + "@example.org"
		emails[a] = email
		var u accounts.User
		switch a {
		case adminUser:
			u = s.addUser(email, accounts.Administrator)
			adminID = u.ID
		case editorSE:
			editorID = s.addUser(email, accounts.Editor, "southwark").ID
		case editorLew:
			s.addUser(email, accounts.Editor, "lewisham")
		case editorAll:
			s.addUser(email, accounts.Editor)
		case governance:
			s.addUser(email, accounts.GovernanceOfficer)
		case dirEditor:
			s.addUser(email, accounts.DirectoryEditor)
		case reviewer:
			s.addUser(email, accounts.Reviewer)
		case provider:
			providerUser = s.addProvider(email, s.organizationOf(s.someService()))
		case otherProvider:
			s.addProvider(email, s.newOrganization("Another organisation"))
		}
	}
	visitors := map[string]*browser{anon: s.visitor()}
	for _, a := range actors[1:] {
		visitors[a] = s.visitor().mustLogin(emails[a])
	}
	postID, eventID := s.southwarkPost(), s.southwarkEvent()
	boardID, meetingID, questionID := s.strategicBoardQuestion()
	// The image first, so the post's saved version keeps it as lead image.
	imageID := s.leadImage(postID)
	postRev, eventRev, placeRev := s.revisionOfPost(postID), s.revisionOfEvent(eventID), s.revisionOfPlace("southwark")
	serviceID := s.someService()
	serviceRev := s.revisionOfService(serviceID)
	orgID, closeOrgID := s.organizationOf(serviceID), s.newOrganization("Closing organisation")
	proposalID := s.proposalFor(serviceID, providerUser, "Renamed by its provider")
	reportID := s.listingReport(serviceID, "resident@example.org")
	boardRev, meetingRev := s.revisionOfBoard(boardID), s.revisionOfMeeting(meetingID)
	m, err := boards.NewStore(s.db).Meeting(context.Background(), meetingID)
	if err != nil || len(m.Papers) == 0 {
		t.Fatalf("the seeded meeting to come has no paper: %v", err)
	}
	formatRequestID := s.formatRequest(m.Papers[0].ID, "resident@example.org")
	privacyRev := s.revisionOf("privacy_notice", "1", map[string]string{"lede": privacy.DefaultNotice.Lede, "body": privacy.DefaultNotice.Body})
	s.addRegistration(eventID, "Ada", "ada@example.org", "")
	registrationID := s.count(`SELECT MAX(id) FROM registrations`)
	routes := admin.Routes()
	for _, r := range routes {
		acc := adminAccess[r.Pattern()]
		path := strings.NewReplacer("{admin}", strconv.FormatInt(adminID, 10), "{post}", strconv.FormatInt(postID, 10),
			"{board}", strconv.FormatInt(boardID, 10), "{meeting}", strconv.FormatInt(meetingID, 10),
			"{question}", strconv.FormatInt(questionID, 10),
			"{event}", strconv.FormatInt(eventID, 10), "{postrev}", postRev, "{eventrev}", eventRev, "{placerev}", placeRev,
			"{service}", serviceID, "{servicerev}", serviceRev, "{report}", strconv.FormatInt(reportID, 10), "{image}", strconv.FormatInt(imageID, 10),
			"{editor}", strconv.FormatInt(editorID, 10), "{formatrequest}", strconv.FormatInt(formatRequestID, 10), "{boardrev}", boardRev, "{meetingrev}", meetingRev,
			"{registration}", strconv.Itoa(registrationID), "{privacyrev}", privacyRev,
			"{org}", orgID, "{closeorg}", closeOrgID, "{proposal}", strconv.FormatInt(proposalID, 10)).Replace(acc.path)
		for _, a := range actors {
			want := http.StatusForbidden
			switch {
			case slices.Contains(acc.allowed, a):
				want = acc.ok
				if w, ok := acc.okFor[a]; ok {
					want = w
				}
			case a == anon && r.Method == http.MethodGet:
				want = http.StatusSeeOther
			}
			b := visitors[a]
			res := b.do(r.Method, path, emptyForm(r.Method))
			if res.status != want {
				t.Errorf("%s %s as %s: status %d, want %d", r.Method, path, a, res.status, want)
				continue
			}
			if a == anon && want == http.StatusSeeOther && !slices.Contains(acc.allowed, a) && !strings.HasPrefix(res.location, "/admin/login?next=") {
				t.Errorf("%s %s as %s: redirected to %q, want the login page", r.Method, path, a, res.location)
			}
			if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("%s %s as %s: Cache-Control %q, want no-store", r.Method, path, a, cc)
			}
			if want == http.StatusForbidden && a != anon && strings.Contains(res.body, "Southwark</textarea>") {
				t.Errorf("%s %s as %s: a refused page shows the place's content", r.Method, path, a)
			}
			if r.Method == http.MethodGet && res.status == http.StatusOK && strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
				checkNav(t, a, path, res.body)
			}
			if acc.endsSession && slices.Contains(acc.allowed, a) {
				visitors[a] = s.visitor().mustLogin(emails[a])
			}
		}
	}
}

// navSections are the admin's sections as its navigation links to them.
var navSections = map[string]string{
	"/admin/": "GET /admin/{$}", "/admin/places": "GET /admin/places", "/admin/posts": "GET /admin/posts",
	"/admin/events": "GET /admin/events", "/admin/boards": "GET /admin/boards", "/admin/questions": "GET /admin/questions",
	"/admin/directory": "GET /admin/directory", "/admin/media": "GET /admin/media", "/admin/users": "GET /admin/users",
	"/admin/audit": "GET /admin/audit", "/admin/mail": "GET /admin/mail", "/admin/account/password": "GET /admin/account/password",
	"/admin/format-requests": "GET /admin/format-requests", "/admin/provider": "GET /admin/provider", "/admin/privacy": "GET /admin/privacy",
}

var (
	navBlock = regexp.MustCompile(`(?s)<nav class="jp-admin-shell__nav" aria-label="Admin sections">(.*?)</nav>`)
	navLink  = regexp.MustCompile(`<a class="jp-admin-shell__link" href="([^"]+)"( aria-current="(page|true)")?>`)
)

// checkNav checks that an admin page shows the navigation of the sections
// the actor may use, and only those (as the access table says), with the
// current one marked, their name, sign-out and the skip link.
func checkNav(t *testing.T, actor, path, body string) {
	t.Helper()
	m := navBlock.FindStringSubmatch(body)
	if actor == anon {
		if m != nil {
			t.Errorf("GET %s as %s: the admin's navigation is shown to someone not signed in", path, actor)
		}
		return
	}
	if m == nil {
		t.Errorf("GET %s as %s: no admin navigation", path, actor)
		return
	}
	var got, want []string
	current := ""
	for _, l := range navLink.FindAllStringSubmatch(m[1], -1) {
		got = append(got, l[1])
		if l[3] != "" {
			if current != "" {
				t.Errorf("GET %s as %s: two sections are current", path, actor)
			}
			current = l[1]
		}
	}
	for href, route := range navSections {
		if slices.Contains(adminAccess[route].allowed, actor) {
			want = append(want, href)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("GET %s as %s: the navigation links to %q, want %q", path, actor, got, want)
	}
	p, _, _ := strings.Cut(path, "?")
	if p != "/admin/search" && current == "" {
		t.Errorf("GET %s as %s: no section is marked current", path, actor)
	}
	if current != "" && current != "/admin/" && !strings.HasPrefix(p, strings.TrimSuffix(current, "/password")) &&
		!(current == "/admin/boards" && strings.HasPrefix(p, "/admin/meetings")) {
		t.Errorf("GET %s as %s: %s is marked current", path, actor, current)
	}
	for _, want := range []string{`<a class="nhsuk-skip-link" href="#maincontent">`, `action="/admin/logout"`,
		"Signed in as <strong>" + strings.Split(strings.ReplaceAll(actor, " ", "."), "@")[0] + "</strong>"} {
		if !strings.Contains(body, want) {
			t.Errorf("GET %s as %s: the page lacks %s", path, actor, want)
		}
	}
}

func emptyForm(method string) map[string][]string {
	if method == http.MethodPost {
		return map[string][]string{}
	}
	return nil
}

// A reviewer's dashboard leads to what they may read, and their lists show
// every place's records, not only one place's.
func TestReviewerReadsTheAdmin(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("rev@example.org", accounts.Reviewer)
	postID := s.southwarkPost()
	rev := s.visitor().mustLogin("rev@example.org")
	dash := rev.get("/admin/")
	for _, href := range []string{"/admin/places", "/admin/posts", "/admin/events", "/admin/boards", "/admin/directory", "/admin/media",
		"/admin/questions", "/admin/audit", "/admin/privacy"} {
		if !strings.Contains(dash.body, `href="`+href+`"`) {
			t.Errorf("the reviewer's dashboard does not link to %s", href)
		}
	}
	for _, href := range []string{"/admin/users", "/admin/mail"} {
		if strings.Contains(dash.body, `href="`+href+`"`) {
			t.Errorf("the reviewer's dashboard links to %s", href)
		}
	}
	if list := rev.get("/admin/posts"); !strings.Contains(list.body, "/admin/posts/"+strconv.FormatInt(postID, 10)) {
		t.Errorf("the reviewer's post list lacks the Southwark post:\n%s", list.body)
	}
	if form := rev.get("/admin/posts/" + strconv.FormatInt(postID, 10)); !strings.Contains(form.body, `value="southwark" checked`) {
		t.Errorf("the reviewer's view of a post does not show its place:\n%s", form.body)
	}
	if list := rev.get("/admin/places"); !strings.Contains(list.body, `href="/admin/places/southwark"`) {
		t.Errorf("the reviewer's place list does not link to the place's page:\n%s", list.body)
	}
	if res := rev.post("/admin/posts/"+strconv.FormatInt(postID, 10), postForm("southwark-only-news", "now", "title", "Changed")); res.status != http.StatusForbidden {
		t.Errorf("a reviewer saving a post: status %d, want 403", res.status)
	}
}
